package dev.berth.api.transfer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import dev.berth.store.ImageCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** An {@code --output} target: an OCI layout directory or a docker-archive file. */
public sealed interface ImageOutput {
  void write(ContentStore store, Descriptor manifest, String imageName) throws IOException;

  static ImageOutput parse(String text) {
    if (text.startsWith("oci:")) {
      String rest = text.substring("oci:".length());
      int colon = rest.indexOf(':');
      String tag = colon < 0 ? ImageReference.DEFAULT_TAG : rest.substring(colon + 1);
      if (rest.isEmpty() || tag.isEmpty()) {
        throw new IllegalArgumentException("invalid --output '" + text + "': oci:DIR[:TAG]");
      }
      return new OciLayout(Path.of(colon < 0 ? rest : rest.substring(0, colon)), tag);
    }
    if (text.startsWith("docker-archive:")) {
      String file = text.substring("docker-archive:".length());
      if (file.isEmpty()) {
        throw new IllegalArgumentException("invalid --output '" + text + "': docker-archive:FILE");
      }
      Path directory = Path.of(file).toAbsolutePath().getParent();
      if (!java.nio.file.Files.isDirectory(directory)) {
        throw new IllegalArgumentException("invalid --output '" + text + "': the directory " + directory + " does not exist");
      }
      return new DockerArchiveFile(Path.of(file));
    }
    throw new IllegalArgumentException("invalid --output '" + text + "': oci:DIR[:TAG] or docker-archive:FILE");
  }

  record OciLayout(Path directory, String tag) implements ImageOutput {
    @Override
    public void write(ContentStore store, Descriptor manifest, String imageName) throws IOException {
      ContentStore layout = ContentStore.open(directory);
      ImageCopy.copy(store, manifest, layout, tag);
      new dev.berth.store.StoreReferrers(store).copyTo(dev.berth.store.StoreReferrers.ofLayout(layout), manifest.digest());
    }
  }

  record DockerArchiveFile(Path file) implements ImageOutput {
    @Override
    public void write(ContentStore store, Descriptor manifest, String imageName) throws IOException {
      DockerArchive.write(store, manifest, List.of(imageName), file);
    }
  }
}
