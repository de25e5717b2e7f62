package dev.berth.emulation;

import dev.berth.oci.Platform;
import java.util.Optional;

/**
 * What an executable of a Linux platform starts with (ELF class, byte order and machine), the bytes
 * binfmt_misc matches its entries against; and the name Debian's qemu-user-static gives its handler.
 */
record ElfMachine(boolean wide, boolean bigEndian, int machine, String qemu) {
  /** Bytes of the header a match is tried on: longer than every entry's magic in practice. */
  static final int HEADER_LENGTH = 128;

  private static final int EXECUTABLE = 2;

  /** The machine of {@code platform}'s executables; empty for a platform berth knows no emulator for. */
  static Optional<ElfMachine> of(Platform platform) {
    if (!platform.os().equals("linux")) {
      return Optional.empty();
    }
    return Optional.ofNullable(switch (platform.architecture()) {
      case "amd64" -> new ElfMachine(true, false, 62, "x86_64");
      case "386" -> new ElfMachine(false, false, 3, "i386");
      case "arm64" -> new ElfMachine(true, false, 183, "aarch64");
      case "arm" -> new ElfMachine(false, false, 40, "arm");
      case "ppc64le" -> new ElfMachine(true, false, 21, "ppc64le");
      case "ppc64" -> new ElfMachine(true, true, 21, "ppc64");
      case "s390x" -> new ElfMachine(true, true, 22, "s390x");
      case "riscv64" -> new ElfMachine(true, false, 243, "riscv64");
      case "mips" -> new ElfMachine(false, true, 8, "mips");
      case "mipsle" -> new ElfMachine(false, false, 8, "mipsel");
      case "mips64" -> new ElfMachine(true, true, 8, "mips64");
      case "mips64le" -> new ElfMachine(true, false, 8, "mips64el");
      case "loong64" -> new ElfMachine(true, false, 258, "loongarch64");
      default -> null;
    });
  }

  /** The first {@link #HEADER_LENGTH} bytes of a statically linked executable of this machine (the rest zero). */
  byte[] header() {
    byte[] header = new byte[HEADER_LENGTH];
    header[0] = 0x7f;
    header[1] = 'E';
    header[2] = 'L';
    header[3] = 'F';
    header[4] = (byte) (wide ? 2 : 1);
    header[5] = (byte) (bigEndian ? 2 : 1);
    header[6] = 1;  // EV_CURRENT
    put16(header, 16, EXECUTABLE);
    put16(header, 18, machine);
    return header;
  }

  private void put16(byte[] bytes, int at, int value) {
    bytes[at + (bigEndian ? 1 : 0)] = (byte) value;
    bytes[at + (bigEndian ? 0 : 1)] = (byte) (value >>> 8);
  }
}
