package dev.berth.engine;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import dev.berth.store.ImageCopy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@code base:} value into an image in the store: {@code scratch}, {@code oci:DIR[:TAG]},
 * {@code docker-archive:FILE[:REPO:TAG]}, or a name the store holds (as docker looks at its local
 * images first).
 */
public final class BaseResolver {
  private final ContentStore store;
  private final Path workingDirectory;

  public BaseResolver(ContentStore store, Path workingDirectory) {
    this.store = store;
    this.workingDirectory = workingDirectory;
  }

  public BaseImage resolve(String base, Platform platform, String created) throws IOException {
    if (base.equals(BaseImage.SCRATCH)) {
      return BaseImage.scratch(ImageConfig.empty(platform, created));
    }
    if (base.startsWith("oci:")) {
      return fromOciLayout(base.substring("oci:".length()), platform);
    }
    if (base.startsWith("docker-archive:")) {
      String rest = base.substring("docker-archive:".length());
      int colon = rest.indexOf(':');
      Path file = workingDirectory.resolve(colon < 0 ? rest : rest.substring(0, colon));
      Descriptor manifest = DockerArchive.read(file, colon < 0 ? null : rest.substring(colon + 1), store);
      return load(base, manifest, platform);
    }
    ImageReference reference;
    try {
      reference = ImageReference.parse(base);
    } catch (IllegalArgumentException e) {
      throw new BuildException("invalid base '" + base + "': " + e.getMessage());
    }
    Optional<Descriptor> found = findInStore(reference);
    if (found.isEmpty()) {
      throw new BuildException("base image '" + base + "' is not in the store " + store.root()
          + (reference.registry() == null ? "; import or build it first" : "; pull it first (berth pull " + base + ")"));
    }
    return load(base, found.get(), platform);
  }

  /** The store's entry for {@code reference}: by its full name, else by {@code repository:tag}. */
  public Optional<Descriptor> findInStore(ImageReference reference) throws IOException {
    if (reference.digest() != null && store.hasBlob(reference.digest())) {
      byte[] bytes = store.readBlob(reference.digest());
      String mediaType = mediaTypeOf(bytes);
      return Optional.of(new Descriptor(mediaType, reference.digest(), bytes.length));
    }
    String full = reference.registry() == null ? reference.localName()
        : reference.registry() + "/" + reference.localName();
    Optional<Descriptor> named = store.resolve(full);
    return named.isPresent() ? named : store.resolve(reference.localName());
  }

  private BaseImage fromOciLayout(String spec, Platform platform) throws IOException {
    int colon = spec.indexOf(':');
    Path dir = workingDirectory.resolve(colon < 0 ? spec : spec.substring(0, colon));
    String tag = colon < 0 ? null : spec.substring(colon + 1);
    ContentStore layout = ContentStore.openExisting(dir);
    List<Descriptor> entries = layout.references();
    Descriptor chosen;
    if (tag == null && entries.size() == 1) {
      chosen = entries.get(0);
    } else {
      String wanted = tag == null ? ImageReference.DEFAULT_TAG : tag;
      chosen = layout.resolve(wanted).orElseThrow(() -> new BuildException(
          "base 'oci:" + spec + "': the layout " + dir + " has no image named '" + wanted + "'"));
    }
    ImageCopy.copy(layout, chosen, store, null);
    return load("oci:" + spec, chosen, platform);
  }

  private BaseImage load(String base, Descriptor descriptor, Platform platform) throws IOException {
    Descriptor manifestDescriptor = descriptor;
    if (MediaTypes.isIndex(descriptor.mediaType())) {
      ImageIndex index = ImageIndex.parse(store.readBlob(descriptor.digest()));
      manifestDescriptor = index.manifestFor(platform).orElseThrow(() -> new BuildException(
          "base '" + base + "' has no image for " + platform));
    } else if (!MediaTypes.isManifest(descriptor.mediaType())) {
      throw new BuildException("base '" + base + "' is a " + descriptor.mediaType() + ", not an image");
    }
    ImageManifest manifest = ImageManifest.parse(store.readBlob(manifestDescriptor.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(manifest.config().digest()));
    if (!platform.matches(config.platform())) {
      throw new BuildException("base '" + base + "' is for " + config.platform() + ", not " + platform);
    }
    if (config.rootfs().diffIds().size() != manifest.layers().size()) {
      throw new BuildException("base '" + base + "': its config lists " + config.rootfs().diffIds().size()
          + " layers, its manifest " + manifest.layers().size());
    }
    return new BaseImage(manifestDescriptor.digest().toString(), manifestDescriptor.withoutAnnotations(),
        manifest, config);
  }

  private static String mediaTypeOf(byte[] json) {
    var tree = dev.berth.oci.Json.tree(json);
    if (tree.has("mediaType")) {
      return tree.get("mediaType").asText();
    }
    return tree.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
  }
}
