package dev.berth.cli;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code --progress=tty}: the log of what happened, and below it a live block of one line per image
 * at work (its current step or transfer, how long it has run, what its last layer write took), under it
 * a line per blob it is pushing or pulling (bytes moved of all, as docker push shows), redrawn in place
 * with ANSI codes. Pulls and pushes are logged with their bytes and speed. Every line is cut to the
 * terminal's width, so nothing wraps and the redraw stays exact.
 */
final class LiveDisplay implements BuildListener {
  private static final String UP_AND_CLEAR = "\033[1A\033[2K";

  private final PrintStream out;
  private final int width;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final MovingBlobs blobs = new MovingBlobs();
  private int drawnLines;
  private ScheduledExecutorService ticker;

  /** What an image is busy with: its step, since when it has run (System.nanoTime()), and its last layer written. */
  private record Running(String step, long since, String detail) {}

  LiveDisplay(PrintStream out, int width) {
    this.out = out;
    this.width = width;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    erase();
    String image = event.image();
    if (event instanceof BuildEvent.LayerWritten written) {
      Running current = running.get(image);
      if (current != null) {
        running.put(image, new Running(current.step(), current.since(),
            "wrote " + bytes(written.bytes()) + rate(written.bytes(), written.duration())));
      }
    } else if (event instanceof BuildEvent.BlobProgress progress) {
      blobs.update(progress);
    } else if (event instanceof BuildEvent.BytesTransferred transfer) {
      blobs.forget(image);
      Running current = running.get(image);
      if (current != null && current.step().equals(
          new BuildEvent.TransferStarted(image, transfer.reference(), transfer.direction()).message())) {
        running.remove(image);  // its transfer is done; nothing may follow for a pulled image
      }
      print(image + ": " + (transfer.direction() == BuildEvent.Direction.PUSH ? "pushed " : "pulled ")
          + bytes(transfer.bytes()) + " in " + transfer.blobs() + (transfer.blobs() == 1 ? " blob" : " blobs")
          + rate(transfer.bytes(), transfer.duration())
          + (transfer.direction() == BuildEvent.Direction.PUSH ? " to " : " from ") + transfer.reference());
    } else if (EventLines.isActivity(event)) {
      Running previous = running.get(image);
      running.put(image, new Running(event.message(), previous == null ? System.nanoTime() : previous.since(),
          previous == null ? "" : previous.detail()));
    } else {
      String text = EventLines.text(event);
      if (text != null) {
        if (!(event instanceof BuildEvent.Output)) {
          running.remove(image);
          blobs.forget(image);
        }
        print(text);
      }
    }
    draw();
    if (ticker == null && !running.isEmpty()) {
      startTicker();
    }
  }

  private void print(String line) {
    out.println(Terminal.cut(line, width));
  }

  /** Redraws the block every second, so the elapsed times move while a long step runs. */
  private void startTicker() {
    ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "berth-progress");
      thread.setDaemon(true);
      return thread;
    });
    ticker.scheduleWithFixedDelay(this::redraw, 1, 1, TimeUnit.SECONDS);
  }

  private synchronized void redraw() {
    if (drawnLines > 0) {
      erase();
      draw();
    }
  }

  private void erase() {
    for (int i = 0; i < drawnLines; i++) {
      out.print(UP_AND_CLEAR);
    }
    drawnLines = 0;
  }

  private void draw() {
    for (var entry : running.entrySet()) {
      Running value = entry.getValue();
      print(line(entry.getKey(), Duration.ofNanos(System.nanoTime() - value.since()), value.step(), value.detail()));
      drawnLines++;
      for (String blob : blobs.lines(entry.getKey())) {
        print(blob);
        drawnLines++;
      }
    }
    out.flush();
  }

  /** One image's line of the live block (before cutting to the width). */
  static String line(String image, Duration elapsed, String step, String detail) {
    return String.format(Locale.ROOT, "  %-24s %6.1fs  %s%s", image, elapsed.toMillis() / 1000.0,
        detail.isEmpty() ? "" : "[" + detail + "] ", step);
  }

  /** {@code bytes} in decimal units, as docker shows sizes: 512 B, 1.5 kB, 12.3 MB, 1.1 GB. */
  static String bytes(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    String[] units = {"kB", "MB", "GB", "TB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** {@code " at 3.4 MB/s"}, or nothing when the time is too short to give a rate. */
  static String rate(long bytes, Duration duration) {
    long millis = duration.toMillis();
    if (millis <= 0 || bytes == 0) {
      return "";
    }
    return " at " + bytes(bytes * 1000 / millis) + "/s";
  }
}
