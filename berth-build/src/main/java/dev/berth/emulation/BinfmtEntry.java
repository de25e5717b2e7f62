package dev.berth.emulation;

import java.util.HexFormat;
import java.util.List;

/**
 * One registered binfmt_misc entry, as the kernel shows it in {@code /proc/sys/fs/binfmt_misc/NAME}:
 * whether it is enabled, its interpreter and flags, and, for a magic-number entry, the offset,
 * magic and mask it matches files with.
 */
record BinfmtEntry(String name, boolean enabled, String interpreter, String flags, int offset, byte[] magic,
    byte[] mask) {
  /** Reads an entry's lines; an extension entry ({@code extension .jar}) has no magic and never matches. */
  static BinfmtEntry parse(String name, List<String> lines) {
    boolean enabled = false;
    String interpreter = "";
    String flags = "";
    int offset = 0;
    byte[] magic = null;
    byte[] mask = null;
    for (String line : lines) {
      String value = line.contains(" ") ? line.substring(line.indexOf(' ') + 1).strip() : "";
      if (line.equals("enabled")) {
        enabled = true;
      } else if (line.startsWith("interpreter ")) {
        interpreter = value;
      } else if (line.startsWith("flags:")) {
        flags = line.substring("flags:".length()).strip();
      } else if (line.startsWith("offset ")) {
        offset = Integer.parseInt(value);
      } else if (line.startsWith("magic ")) {
        magic = HexFormat.of().parseHex(value);
      } else if (line.startsWith("mask ")) {
        mask = HexFormat.of().parseHex(value);
      }
    }
    return new BinfmtEntry(name, enabled, interpreter, flags, offset, magic, mask);
  }

  /** Whether the kernel would hand a file starting with {@code header} to this entry (enabled or not). */
  boolean matches(byte[] header) {
    if (magic == null || offset + magic.length > header.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      int bits = mask == null ? 0xff : mask[i] & 0xff;
      if ((header[offset + i] & bits) != (magic[i] & bits)) {
        return false;
      }
    }
    return true;
  }

  /** The F flag: the interpreter is opened at registration, so a container's root need not hold it. */
  boolean fixesBinary() {
    return flags.contains("F");
  }
}
