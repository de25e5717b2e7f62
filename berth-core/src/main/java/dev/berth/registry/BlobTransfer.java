package dev.berth.registry;

import dev.berth.oci.Digest;

/**
 * How far one blob's upload or download has got: {@code bytes} of {@code total} sent or received.
 * Reports for one blob come in increasing order of {@code bytes}, the last with {@code bytes == total}.
 */
public record BlobTransfer(Digest digest, long bytes, long total) {
  public BlobTransfer {
    if (bytes < 0 || total < 0 || bytes > total) {
      throw new IllegalArgumentException("invalid progress of " + digest + ": " + bytes + " of " + total + " bytes");
    }
  }
}
