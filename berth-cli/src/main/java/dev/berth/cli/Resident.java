package dev.berth.cli;

import dev.berth.cli.daemon.DaemonServer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The resident process's entry point ({@code BERTH_DAEMON=on}, see {@link dev.berth.cli.daemon.DaemonClient}):
 * runs the commands its clients send as {@link Launcher} runs them in a JVM of their own, replay
 * included, until no command came for {@code BERTH_DAEMON_IDLE} seconds (default 600).
 */
public final class Resident {
  private static final long DEFAULT_IDLE_SECONDS = 600;

  private Resident() {}

  public static void main(String[] args) throws Exception {
    Path jar = Launcher.jar();
    if (jar == null) {
      return;
    }
    DaemonServer.serve(jar, Launcher::runHere, Duration.ofSeconds(idleSeconds(System.getenv("BERTH_DAEMON_IDLE"))));
    System.exit(0);  // threads a command left behind (an HTTP client's) end with the process
  }

  static long idleSeconds(String value) {
    try {
      long seconds = value == null ? DEFAULT_IDLE_SECONDS : Long.parseLong(value.strip());
      return seconds > 0 ? seconds : DEFAULT_IDLE_SECONDS;
    } catch (NumberFormatException e) {
      return DEFAULT_IDLE_SECONDS;
    }
  }
}
