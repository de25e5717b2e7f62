package dev.berth.store;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Copies an image or index, with every blob it reaches, from one content store to another. */
public final class ImageCopy {
  private ImageCopy() {}

  /**
   * Copies {@code top} and what it reaches from {@code from} into {@code to} (blobs already there are
   * skipped, copied ones are verified against their digests), manifests after their blobs, then names
   * it {@code refName} in {@code to} when that is not null. Returns the descriptor as named.
   */
  public static Descriptor copy(ContentStore from, Descriptor top, ContentStore to, String refName) throws IOException {
    copyNode(from, top, to);
    if (refName != null) {
      to.tag(refName, top);
    }
    return refName == null ? top : top.withoutAnnotations().withAnnotation(Descriptor.REF_NAME, refName);
  }

  private static void copyNode(ContentStore from, Descriptor node, ContentStore to) throws IOException {
    byte[] bytes = from.readBlob(node.digest());
    if (!Digest.sha256(bytes).equals(node.digest())) {
      throw new dev.berth.oci.InvalidContentException("manifest " + node.digest() + " in " + from.root()
          + " does not match its digest");
    }
    if (MediaTypes.isIndex(node.mediaType())) {
      for (Descriptor child : ImageIndex.parse(bytes).manifests()) {
        copyNode(from, child, to);
      }
    } else if (MediaTypes.isManifest(node.mediaType())) {
      ImageManifest manifest = ImageManifest.parse(bytes);
      List<Descriptor> blobs = new ArrayList<>();
      blobs.add(manifest.config());
      blobs.addAll(manifest.layers());
      for (Descriptor blob : blobs) {
        copyBlob(from, blob.digest(), to);
      }
    } else {
      throw new IllegalArgumentException(node.digest() + " has media type " + node.mediaType()
          + ", which is neither a manifest nor an index");
    }
    to.writeBlob(node.mediaType(), bytes);
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
