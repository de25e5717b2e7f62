package dev.berth.cli;

import dev.berth.cli.daemon.DaemonClient;
import dev.berth.cli.replay.OutputCapture;
import dev.berth.cli.replay.Replays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * The jar's entry point. A command that may be replayed ({@link Replays}) is looked up first, before
 * picocli, Jackson or any of berth's model is loaded: this class and the replay package are all a
 * replayed no-op loads. Otherwise {@link Main} runs the command, recording it when it reports what it
 * read ({@link Replayable}). With {@code BERTH_DAEMON=on}, a command that a resident process may run
 * is handed to it first ({@link DaemonClient}).
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) {
    if (System.getenv("BERTH_DAEMON") != null) {  // only then are the resident process's classes loaded
      boolean terminal = Terminal.isTerminal(Path.of("/proc/self/fd/1"))
          || Terminal.isTerminal(Path.of("/proc/self/fd/2"));
      Optional<DaemonClient> daemon = DaemonClient.forCommand(args, System.getenv(), jar(), terminal);
      if (daemon.isPresent()) {
        OptionalInt ran = daemon.get().run(args);
        if (ran.isPresent()) {
          System.exit(ran.getAsInt());
        }
      }
    }
    System.exit(runHere(args));
  }

  /** Runs {@code args} in this JVM, replayed when a recording allows, and returns the exit status. */
  static int runHere(String[] args) {
    Optional<Replays> replays = Replays.forCommand(args, System.getenv(), jar());
    if (replays.isEmpty()) {
      return Main.run(args);
    }
    OptionalInt replayed = replays.get().replay();
    return replayed.isPresent() ? replayed.getAsInt() : runAndRecord(replays.get(), args);
  }

  /** Runs a command that may be replayed next time, and records it if it reports what it read. */
  private static int runAndRecord(Replays replays, String[] args) {
    long started = Replays.now();
    try (OutputCapture capture = replays.capture()) {
      CommandLine cli = Main.commandLine(args);
      int status = Main.execute(cli, args);
      CommandLine.ParseResult ran = cli.getParseResult();
      while (ran != null && ran.subcommand() != null) {
        ran = ran.subcommand();
      }
      if (ran != null && ran.commandSpec().userObject() instanceof Replayable command) {
        command.replayInputs().ifPresent(inputs -> replays.record(capture, status, inputs, started));
      }
      return status;
    }
  }

  /** The jar berth runs from, or null when it runs from classes (an IDE, the tests). */
  static Path jar() {
    try {
      Path code = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.toString().endsWith(".jar") && Files.isRegularFile(code) ? code : null;
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
