package dev.berth.cli;

import java.io.PrintStream;
import java.time.Duration;

/** Progress lines on stderr, each with the time since the command started. */
final class Progress {
  private final PrintStream out;
  private final long start = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  synchronized void line(String text) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    out.printf("[%3d.%01ds] %s%n", elapsed.toSeconds(), elapsed.toMillisPart() / 100, text);
    out.flush();
  }
}
