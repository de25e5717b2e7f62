package dev.berth.cli;

import dev.berth.event.BuildListener;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --progress=auto|tty|plain|json}, as buildx has it: how a run's events are shown on stderr. */
final class ProgressOption {
  @Option(names = "--progress", defaultValue = "auto", paramLabel = "auto|tty|plain|json",
      description = {"How progress is shown on stderr: tty (a live display), plain (timestamped lines),",
          "json (one event object per line, see docs/output-schema.md);",
          "auto: tty when stderr is a terminal (and TERM is not dumb, CI unset), else plain (default: ${DEFAULT-VALUE})."})
  String progress = "auto";

  /** The option as if given as {@code --progress=VALUE}. */
  static ProgressOption of(String value) {
    ProgressOption option = new ProgressOption();
    option.progress = value;
    return option;
  }

  /** The modes; {@link #AUTO} is resolved against the terminal. */
  enum Mode { AUTO, TTY, PLAIN, JSON }

  /** The mode asked for; an unknown one is a usage error. */
  Mode mode() {
    return switch (progress) {
      case "auto" -> Mode.AUTO;
      case "tty" -> Mode.TTY;
      case "plain" -> Mode.PLAIN;
      case "json" -> Mode.JSON;
      default -> throw new UsageException("invalid --progress '" + progress + "': auto, tty, plain or json");
    };
  }

  /** The listener showing every event on {@code err}. */
  BuildListener listener(PrintStream err) {
    return listener(mode(), err, Terminal.detect(System.getenv()));
  }

  /** For commands that build nothing (plan): JSON lines of every event, or else only the warnings as lines. */
  BuildListener warnings(PrintStream err) {
    return mode() == Mode.JSON ? new JsonEvents(err) : EventLines.warnings(err);
  }

  static BuildListener listener(Mode mode, PrintStream err, Terminal terminal) {
    return switch (mode) {
      case TTY -> new LiveDisplay(err, terminal.width());
      case PLAIN -> new TimedLines(err);
      case JSON -> new JsonEvents(err);
      case AUTO -> terminal.live() ? new LiveDisplay(err, terminal.width()) : new TimedLines(err);
    };
  }
}
