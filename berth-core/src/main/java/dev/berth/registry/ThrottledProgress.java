package dev.berth.registry;

import dev.berth.oci.Digest;
import java.util.function.LongSupplier;

/**
 * Counts one blob's bytes as they move and reports them to a {@link TransferListener}: once at the
 * start (0), then when {@link #INTERVAL_NANOS} has passed since the last report or the blob has moved
 * a twentieth of its size (at least {@link #MIN_STEP} bytes) since, and always at the end. Reports
 * only ever increase: a retried request counts again from its start without going back.
 */
final class ThrottledProgress {
  static final long INTERVAL_NANOS = 100_000_000L;
  static final long MIN_STEP = 1 << 20;

  private final TransferListener listener;
  private final Digest digest;
  private final long total;
  private final long step;
  private final LongSupplier nanoTime;
  private long reported = -1;
  private long reportedAt;

  ThrottledProgress(TransferListener listener, Digest digest, long total, LongSupplier nanoTime) {
    this.listener = listener;
    this.digest = digest;
    this.total = total;
    this.step = Math.max(MIN_STEP, total / 20);
    this.nanoTime = nanoTime;
  }

  /** A counter of {@code total} bytes of {@code digest} on the system's clock. */
  static ThrottledProgress of(TransferListener listener, Digest digest, long total) {
    return new ThrottledProgress(listener, digest, total, System::nanoTime);
  }

  /** Reports 0 bytes, once, before the first byte moves. */
  synchronized void start() {
    if (reported < 0) {
      report(0, nanoTime.getAsLong());
    }
  }

  /** {@code bytes} of the blob have moved so far (in this attempt); reported when due. */
  synchronized void at(long bytes) {
    long done = Math.min(bytes, total);
    if (done <= reported) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (reported < 0 || done == total || done - reported >= step || now - reportedAt >= INTERVAL_NANOS) {
      report(done, now);
    }
  }

  /** The whole blob has moved. */
  synchronized void finish() {
    if (reported < total) {
      report(total, nanoTime.getAsLong());
    }
  }

  private void report(long bytes, long now) {
    reported = bytes;
    reportedAt = now;
    listener.onProgress(new BlobTransfer(digest, bytes, total));
  }
}
