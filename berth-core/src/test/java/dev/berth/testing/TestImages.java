package dev.berth.testing;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.BlobSink;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Small real images for tests: gzip tar layers of seeded random bytes, a config, an OCI manifest. */
public final class TestImages {
  private TestImages() {}

  /** Writes an image with one layer per size (bytes of file content) and names it {@code refName}. */
  public static Descriptor randomImage(ContentStore store, String refName, long seed, Platform platform,
      long... layerSizes) throws IOException {
    List<Descriptor> layers = new ArrayList<>();
    ImageConfig config = ImageConfig.empty(platform, "1970-01-01T00:00:00Z");
    for (int i = 0; i < layerSizes.length; i++) {
      MessageDigest diffId = Digest.newSha256();
      Descriptor layer;
      try (BlobSink sink = store.newBlob()) {
        writeTarGz(sink, diffId, "layer-" + i + ".bin", layerSizes[i], new Random(seed * 31 + i));
        Digest digest = sink.commit(null);
        layer = new Descriptor(MediaTypes.OCI_LAYER_GZIP, digest, store.blobSize(digest));
      }
      layers.add(layer);
      config = config.withLayer(Digest.fromHash("sha256", diffId.digest()), "test layer " + i);
    }
    Descriptor configBlob = store.writeBlob(MediaTypes.OCI_CONFIG, Json.canonical(config));
    ImageManifest manifest = ImageManifest.oci(configBlob, layers);
    Descriptor manifestBlob = store.writeBlob(MediaTypes.OCI_MANIFEST, manifest.toJson());
    if (refName != null) {
      store.tag(refName, manifestBlob);
    }
    return manifestBlob;
  }

  /** An index of the given platform manifests (already in the store), named {@code refName}. */
  public static Descriptor index(ContentStore store, String refName, List<Descriptor> manifests) throws IOException {
    Descriptor index = store.writeBlob(MediaTypes.OCI_INDEX, ImageIndex.oci(manifests).toJson());
    store.tag(refName, index);
    return index;
  }

  private static void writeTarGz(OutputStream sink, MessageDigest diffId, String name, long size, Random random)
      throws IOException {
    OutputStream gzip = new GZIPOutputStream(nonClosing(sink), 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new DigestOutputStream(gzip, diffId))) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(size);
      entry.setModTime(0);
      entry.setMode(0644);
      tar.putArchiveEntry(entry);
      byte[] buffer = new byte[1 << 16];
      for (long left = size; left > 0; ) {
        random.nextBytes(buffer);
        int n = (int) Math.min(buffer.length, left);
        tar.write(buffer, 0, n);
        left -= n;
      }
      tar.closeArchiveEntry();
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
