package dev.berth.engine;

import dev.berth.layer.LayerStreams;
import dev.berth.layer.LayerUnpacker;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.MediaTypes;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The file system of an image a step reads ({@code COPY --from}, {@code RUN --mount=from=}), named
 * as the builder hands it on: a name in the store, or {@code @DIGEST} of its manifest.
 */
public final class SourceImages {
  private SourceImages() {}

  /** Unpacks the image {@code sourceName} into {@code rootfs}; {@code what} names the step in an error. */
  public static void unpack(ContentStore store, String sourceName, String what, Path rootfs) throws IOException {
    Descriptor manifest = sourceName.startsWith("@")
        ? new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(sourceName.substring(1)), 0)
        : store.resolve(sourceName).orElseThrow(() -> new BuildException(
            what + ": " + sourceName + " is not in the store"));
    LayerUnpacker unpacker = new LayerUnpacker(rootfs);
    for (Descriptor layer : ImageManifest.parse(store.readBlob(manifest.digest())).layers()) {
      try (InputStream blob = store.openBlob(layer.digest());
           InputStream tar = LayerStreams.decompress(blob, layer.mediaType())) {
        unpacker.apply(tar);
      }
    }
  }
}
