package dev.berth.cli;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progress on stderr, rendered from a run's events: lines are {@code IMAGE: what is happening}
 * (see {@link EventLines}). On a terminal, a live block shows
 * one line per image at work (its current step and how long it has run) below the log; otherwise
 * every line is printed as it comes, with the time since the command started.
 */
final class Progress implements BuildListener {
  private final PrintStream out;
  private final boolean live;
  private final long start = System.nanoTime();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private int drawnLines;

  private record Running(String step, long since) {}

  Progress(PrintStream out) {
    this(out, System.console() != null && !"dumb".equals(System.getenv("TERM")) && System.getenv("CI") == null);
  }

  Progress(PrintStream out, boolean live) {
    this.out = out;
    this.live = live;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    String text = EventLines.text(event);
    if (text == null) {
      return;
    }
    if (!live) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      out.printf("[%3d.%01ds] %s%n", elapsed.toSeconds(), elapsed.toMillisPart() / 100, text);
      out.flush();
      return;
    }
    String image = event.image();
    erase();
    if (EventLines.isActivity(event)) {
      Running previous = running.get(image);
      running.put(image, new Running(event.message(), previous == null ? System.nanoTime() : previous.since()));
    } else {
      if (!(event instanceof BuildEvent.Output)) {
        running.remove(image);
      }
      out.println(text);
    }
    draw();
  }

  private void erase() {
    for (int i = 0; i < drawnLines; i++) {
      out.print("\033[1A\033[2K");
    }
    drawnLines = 0;
  }

  private void draw() {
    for (var entry : running.entrySet()) {
      double seconds = (System.nanoTime() - entry.getValue().since()) / 1e9;
      String step = entry.getValue().step();
      out.printf("  %-32s %6.1fs  %s%n", entry.getKey(), seconds, step.length() > 80 ? step.substring(0, 80) + "…" : step);
      drawnLines++;
    }
    out.flush();
  }
}
