package dev.berth.api.transfer;

import dev.berth.oci.Descriptor;
import dev.berth.registry.ImageLocation;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import dev.berth.store.ImageCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** An {@code --output} target: an OCI layout directory or a docker-archive file. */
public sealed interface ImageOutput {
  /** Writes {@code manifest} (an image manifest, or an index where {@link #holdsIndexes()}) and what it reaches. */
  void write(ContentStore store, Descriptor manifest, String imageName) throws IOException;

  /**
   * Whether this target can hold an index over several platforms' images: an OCI layout can, a
   * docker-archive (docker load's format, one config per image) cannot, as with docker buildx.
   */
  boolean holdsIndexes();

  /** {@code oci:DIR[:TAG]} or {@code docker-archive:FILE}, read as every image location is ({@link ImageLocation}). */
  static ImageOutput parse(String text) {
    ImageLocation location = ImageLocation.parse(text, "--output");
    if (location instanceof ImageLocation.OciLayoutLocation layout) {
      return new OciLayout(layout.directory(), layout.refName());
    }
    if (location instanceof ImageLocation.DockerArchiveLocation archive) {
      Path directory = archive.file().toAbsolutePath().getParent();
      if (!java.nio.file.Files.isDirectory(directory)) {
        throw new IllegalArgumentException("invalid --output '" + text + "': the directory " + directory
            + " does not exist");
      }
      return new DockerArchiveFile(archive.file());
    }
    throw new IllegalArgumentException("invalid --output '" + text + "': oci:DIR[:TAG] or docker-archive:FILE");
  }

  record OciLayout(Path directory, String tag) implements ImageOutput {
    @Override
    public void write(ContentStore store, Descriptor manifest, String imageName) throws IOException {
      ContentStore layout = ContentStore.open(directory);
      ImageCopy.copy(store, manifest, layout, tag);
      dev.berth.store.StoreReferrers referrers = new dev.berth.store.StoreReferrers(store);
      dev.berth.store.StoreReferrers target = dev.berth.store.StoreReferrers.ofLayout(layout);
      referrers.copyTo(target, manifest.digest());
      if (dev.berth.oci.MediaTypes.isIndex(manifest.mediaType())) {  // each platform's SBOM and provenance
        for (Descriptor child : dev.berth.oci.ImageIndex.parse(store.readBlob(manifest.digest())).manifests()) {
          referrers.copyTo(target, child.digest());
        }
      }
    }

    @Override
    public boolean holdsIndexes() {
      return true;
    }

    @Override
    public String toString() {
      return "oci:" + directory + ":" + tag;
    }
  }

  record DockerArchiveFile(Path file) implements ImageOutput {
    @Override
    public void write(ContentStore store, Descriptor manifest, String imageName) throws IOException {
      DockerArchive.write(store, manifest, List.of(imageName), file);
    }

    @Override
    public boolean holdsIndexes() {
      return false;
    }

    @Override
    public String toString() {
      return "docker-archive:" + file;
    }
  }
}
