package dev.berth.emulation;

import dev.berth.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether this machine can run the commands of an image for a platform (its RUN, apt and pip steps,
 * its {@code verify:} commands), and how: natively, or under an emulator such as qemu-user-static
 * that the kernel starts through a binfmt_misc entry. Only an entry with the F (fix-binary) flag
 * counts, since a step runs in the image's own root, where the emulator's path does not exist.
 *
 * <p>The check reads the kernel's registrations, as the kernel would use them: the entry that
 * matches the ELF header of the platform's executables, whatever its name.
 */
public final class Emulation {
  /** Where the kernel lists binfmt_misc entries. */
  public static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");
  /** Points the check at another binfmt_misc directory (tests: one with no entries). */
  public static final String DIRECTORY_VARIABLE = "BERTH_BINFMT_MISC";

  private final Path binfmtMisc;
  private final Platform host;

  /** Checks the entries under {@code binfmtMisc} for a machine that natively runs {@code host}. */
  public Emulation(Path binfmtMisc, Platform host) {
    this.binfmtMisc = binfmtMisc;
    this.host = host;
  }

  /** This machine's: {@code /proc/sys/fs/binfmt_misc}, or the directory {@code BERTH_BINFMT_MISC} names. */
  public static Emulation fromEnvironment(Map<String, String> environment) {
    String directory = environment.get(DIRECTORY_VARIABLE);
    return new Emulation(directory == null || directory.isBlank() ? BINFMT_MISC : Path.of(directory), Platform.host());
  }

  /** The platform this machine runs natively. */
  public Platform host() {
    return host;
  }

  /**
   * How commands for {@code target} run here. A platform the machine runs itself is never emulated,
   * whatever is registered.
   *
   * @throws EmulationUnavailableException when they cannot run, saying what to install or enable
   */
  public Execution check(Platform target) {
    if (isNative(target)) {
      return new Execution.Native(target);
    }
    Optional<ElfMachine> machine = ElfMachine.of(target);
    if (machine.isEmpty()) {
      throw unavailable(target, "berth knows no emulator for " + target + " executables on this "
          + host + " machine", "build it on a " + target + " machine");
    }
    String qemu = "qemu-" + machine.get().qemu();
    String install = "apt-get install qemu-user-static binfmt-support";
    if (!Files.isRegularFile(binfmtMisc.resolve("status"))) {
      throw unavailable(target, "binfmt_misc is not mounted at " + binfmtMisc,
          "mount -t binfmt_misc binfmt_misc " + binfmtMisc + "; " + install + "; update-binfmts --enable " + qemu);
    }
    if (!read(binfmtMisc.resolve("status")).contains("enabled")) {
      throw unavailable(target, "binfmt_misc is switched off", "echo 1 > " + binfmtMisc.resolve("status"));
    }
    List<BinfmtEntry> matching = new ArrayList<>();
    byte[] header = machine.get().header();
    for (BinfmtEntry entry : entries(target)) {
      if (entry.matches(header)) {
        matching.add(entry);
      }
    }
    Optional<BinfmtEntry> usable = matching.stream().filter(BinfmtEntry::enabled).findFirst();
    if (usable.isEmpty()) {
      throw matching.isEmpty()
          ? unavailable(target, "no binfmt_misc entry runs " + target.architecture() + " executables",
              install + "; update-binfmts --enable " + qemu)
          : unavailable(target, "the binfmt_misc entry " + matching.get(0).name() + " is disabled",
              "update-binfmts --enable " + matching.get(0).name());
    }
    BinfmtEntry entry = usable.get();
    if (!entry.fixesBinary()) {
      throw unavailable(target, "the binfmt_misc entry " + entry.name() + " lacks the F (fix-binary) flag, so "
          + entry.interpreter() + " is not found inside a container",
          "register it with F, as Debian's qemu-user-static does: " + install);
    }
    return new Execution.Emulated(target, entry.name(), entry.interpreter(), entry.flags());
  }

  /** Whether {@code target}'s executables run on this machine without an emulator. */
  public boolean isNative(Platform target) {
    if (!target.os().equals(host.os())) {
      return false;
    }
    return target.architecture().equals(host.architecture())
        || host.architecture().equals("amd64") && target.architecture().equals("386");
  }

  private EmulationUnavailableException unavailable(Platform target, String problem, String remedy) {
    return new EmulationUnavailableException(target, host, problem, remedy);
  }

  private List<BinfmtEntry> entries(Platform target) {
    List<BinfmtEntry> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(binfmtMisc)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (!name.equals("status") && !name.equals("register") && Files.isRegularFile(file)) {
          out.add(BinfmtEntry.parse(name, read(file).lines().toList()));
        }
      }
    } catch (IOException e) {
      throw unavailable(target, "cannot read the binfmt_misc entries in " + binfmtMisc, "run berth as root");
    }
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
