package dev.berth.sbom;

import dev.berth.layer.LayerStreams;
import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What one layer says about packages: the dpkg status it writes (or deletes), and the Python
 * distributions whose {@code .dist-info/METADATA} it writes. A layer is what a step's upper directory
 * held, so this reads a native step and a Docker builder's layer alike; it streams the layer once.
 */
public record LayerContents(Optional<String> dpkgStatus, boolean dpkgStatusDeleted,
    List<PythonDistribution> distributions) {
  private static final int MAX_TEXT = 64 << 20;

  public LayerContents {
    distributions = List.copyOf(distributions);
  }

  public static LayerContents read(ContentStore store, Descriptor layer) throws IOException {
    Optional<String> status = Optional.empty();
    boolean deleted = false;
    List<PythonDistribution> distributions = new ArrayList<>();
    try (InputStream raw = store.openBlob(layer.digest());
        InputStream plain = LayerStreams.decompress(raw, layer.mediaType());
        TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String path = normalize(entry.getName());
        if (path.equals(DpkgStatus.PATH) && entry.isFile()) {
          status = Optional.of(text(tar, entry, layer));
          deleted = false;
        } else if (path.equals("var/lib/dpkg/.wh.status")) {
          status = Optional.empty();
          deleted = true;
        } else if (entry.isFile() && path.endsWith(".dist-info/METADATA")) {
          String distInfo = path.substring(0, path.length() - "/METADATA".length());
          PythonDistribution distribution = PythonDistribution.fromMetadata(text(tar, entry, layer), "/" + distInfo);
          if (distribution != null) {
            distributions.add(distribution);
          }
        }
      }
    }
    return new LayerContents(status, deleted, distributions);
  }

  private static String text(TarArchiveInputStream tar, TarArchiveEntry entry, Descriptor layer) throws IOException {
    if (entry.getSize() > MAX_TEXT) {
      throw new IOException("layer " + layer.digest() + ": " + entry.getName() + " is larger than " + MAX_TEXT + " bytes");
    }
    return new String(tar.readNBytes((int) entry.getSize()), StandardCharsets.UTF_8);
  }

  static String normalize(String name) {
    String path = name;
    while (path.startsWith("./") || path.startsWith("/")) {
      path = path.startsWith("./") ? path.substring(2) : path.substring(1);
    }
    return path;
  }
}
