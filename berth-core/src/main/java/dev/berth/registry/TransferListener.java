package dev.berth.registry;

/**
 * Told how each blob of a push or pull advances ({@link BlobTransfer}), from the threads that move
 * the blobs, so it must be thread-safe. Reports are throttled ({@link ThrottledProgress}): a few per
 * second and per blob, never one per buffer.
 */
@FunctionalInterface
public interface TransferListener {
  /** A listener that ignores every report. */
  TransferListener NONE = transfer -> {};

  void onProgress(BlobTransfer transfer);
}
