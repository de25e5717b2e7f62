package dev.berth.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A small shell process tied to this berth process by a pipe, so that a step never outlives berth.
 * It waits on the pipe; berth says "done" when it ends normally. When the pipe closes without that
 * (berth died, even by kill -9, which no code of berth sees), it deletes the run's runc containers
 * (killing their processes), releases the mounts under the run directory and removes it. It runs in
 * its own session, so a Ctrl-C on berth's terminal does not reach it.
 */
final class Sentinel {
  private static final String SCRIPT = """
      trap '' INT TERM HUP
      read -r word
      [ "$word" = done ] && exit 0
      for id in $("$1" list -q 2>/dev/null | grep "^$2"); do "$1" delete --force "$id"; done
      for m in $(cut -d' ' -f5 /proc/self/mountinfo | grep "^$3/" | sort -r); do umount -l "$m"; done
      rm -rf "$3"
      """;

  private final Process process;
  private final OutputStream pipe;

  private Sentinel(Process process) {
    this.process = process;
    this.pipe = process.getOutputStream();
  }

  /** Starts one for containers named {@code containerPrefix…} of {@code runDirectory}. */
  static Sentinel start(String runc, String containerPrefix, Path runDirectory) throws IOException {
    Process process = new ProcessBuilder("setsid", "sh", "-c", SCRIPT, "berth-sentinel", runc, containerPrefix,
        runDirectory.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    return new Sentinel(process);
  }

  long pid() {
    return process.pid();
  }

  /** berth ends normally and has cleaned up itself: the sentinel exits without doing anything. */
  void dismiss() {
    try {
      pipe.write("done\n".getBytes(StandardCharsets.US_ASCII));
      pipe.close();
    } catch (IOException alreadyGone) {
      // it exited (or was killed): nothing to dismiss
    }
  }
}
