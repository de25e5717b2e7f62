package dev.berth.cli;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.io.PrintStream;
import java.time.Duration;

/** {@code --progress=plain}: each event's line as it comes, with the time since the command started; no escape codes. */
final class TimedLines implements BuildListener {
  private final PrintStream out;
  private final long start = System.nanoTime();

  TimedLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    String text = EventLines.text(event);
    if (text == null) {
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    out.printf("[%3d.%01ds] %s%n", elapsed.toSeconds(), elapsed.toMillisPart() / 100, text);
    out.flush();
  }
}
