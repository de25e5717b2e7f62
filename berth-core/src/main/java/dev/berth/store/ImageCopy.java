package dev.berth.store;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/** Copies an image (manifest or index, and every blob it reaches) from one OCI layout to another. */
public final class ImageCopy {
  private ImageCopy() {}

  /**
   * Copies {@code top} and what it reaches from {@code from} to {@code to}, skipping blobs already
   * there and verifying every digest, then names it {@code refName} in {@code to} (unless null).
   * Children are copied before parents, so a crash never leaves a manifest without its blobs.
   */
  public static Descriptor copy(ContentStore from, Descriptor top, ContentStore to, String refName)
      throws IOException {
    var reachable = from.reachableFrom(top);
    for (int i = reachable.size() - 1; i >= 0; i--) {
      copyBlob(from, reachable.get(i), to);
    }
    if (refName != null) {
      to.tag(refName, top);
    }
    return top;
  }

  private static void copyBlob(ContentStore from, Digest digest, ContentStore to) throws IOException {
    if (to.hasBlob(digest)) {
      return;
    }
    try (InputStream in = from.openBlob(digest)) {
      to.writeBlob(in, digest);
    }
  }
}
