package dev.berth.cli.daemon;

import dev.berth.cli.replay.ReplayKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the resident process for one setting listens, and that setting as text: berth's jar (path,
 * size, time), the JVM, the working directory and every environment variable berth reads (the
 * replay key's, without arguments, and {@code BERTH_REPLAY}). A process answers only clients of
 * exactly its own setting, so a command runs there as it would in a fresh JVM: another jar,
 * directory or variable, another process.
 */
record DaemonAddress(Path socket, String identity) {
  /** This process's umask as four octal digits (as the shell's {@code umask} prints it), from /proc. */
  static String ownUmask() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Umask:")) {
          return line.substring("Umask:".length()).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: every client and process here says the same
    }
    return "unknown";
  }

  /**
   * The address for this setting: {@code $XDG_RUNTIME_DIR/berth/}, else
   * {@code ${XDG_CACHE_HOME:-~/.cache}/berth/daemon/}, and a hash of the identity; empty when neither is known.
   */
  static java.util.Optional<DaemonAddress> of(Path jar, Path workingDirectory, Map<String, String> environment,
      String umask) throws IOException {
    // the replay switch is not part of a replay's key, but a resident process reads it for every command;
    // the umask gives the files a command writes (a store, a layout) their modes
    String identity = ReplayKey.of(jar, List.of(), workingDirectory, environment, false, false).text()
        .concat("replay ").concat(String.valueOf(environment.get("BERTH_REPLAY"))).concat("\n")
        .concat("umask ").concat(umask).concat("\n");
    Path folder;
    String runtime = environment.get("XDG_RUNTIME_DIR");
    String cache = environment.get("XDG_CACHE_HOME");
    String home = environment.get("HOME");
    if (runtime != null && !runtime.isEmpty()) {
      folder = Path.of(runtime, "berth");
    } else if (cache != null && !cache.isEmpty()) {
      folder = Path.of(cache, "berth", "daemon");
    } else if (home != null && !home.isEmpty()) {
      folder = Path.of(home, ".cache", "berth", "daemon");
    } else {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new DaemonAddress(folder.resolve(new ReplayKey(identity).fileName().concat(".sock")),
        identity));
  }
}
