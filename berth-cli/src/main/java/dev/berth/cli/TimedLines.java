package dev.berth.cli;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import dev.berth.oci.Digest;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code --progress=plain}: each event's line as it comes, with the time since the command started; no
 * escape codes. A blob that takes a while to push or pull gets a line every {@link #BLOB_INTERVAL} (bytes
 * moved of all), and one when it is done; a quick blob gets none.
 */
final class TimedLines implements BuildListener {
  static final Duration BLOB_INTERVAL = Duration.ofSeconds(2);

  private final PrintStream out;
  private final LongSupplier nanoTime;
  private final long start;
  /** The blobs being moved: when each was last shown. */
  private final Map<Blob, Shown> blobLines = new HashMap<>();

  /** A blob being moved for an image, to or from a reference. */
  private record Blob(String image, String reference, Digest digest) {}

  /** When a blob's last line was printed, or when its first report came if {@code printed} is false. */
  private record Shown(long at, boolean printed) {}

  TimedLines(PrintStream out) {
    this(out, System::nanoTime);
  }

  TimedLines(PrintStream out, LongSupplier nanoTime) {
    this.out = out;
    this.nanoTime = nanoTime;
    this.start = nanoTime.getAsLong();
  }

  @Override
  public synchronized void on(BuildEvent event) {
    String text = event instanceof BuildEvent.BlobProgress progress ? blobLine(progress) : EventLines.text(event);
    if (text == null) {
      return;
    }
    Duration elapsed = Duration.ofNanos(nanoTime.getAsLong() - start);
    out.printf("[%3d.%01ds] %s%n", elapsed.toSeconds(), elapsed.toMillisPart() / 100, text);
    out.flush();
  }

  /** The line for a blob's report when one is due, else null. */
  private String blobLine(BuildEvent.BlobProgress progress) {
    Blob blob = new Blob(progress.image(), progress.reference(), progress.blob());
    long now = nanoTime.getAsLong();
    Shown last = blobLines.get(blob);
    if (progress.bytes() >= progress.total()) {
      blobLines.remove(blob);
      return last != null && last.printed() ? progress.image() + ": " + MovingBlobs.line(progress).strip() : null;
    }
    if (last == null) {
      blobLines.put(blob, new Shown(now, false));
      return null;
    }
    if (now - last.at() < BLOB_INTERVAL.toNanos()) {
      return null;
    }
    blobLines.put(blob, new Shown(now, true));
    return progress.image() + ": " + MovingBlobs.line(progress).strip();
  }
}
