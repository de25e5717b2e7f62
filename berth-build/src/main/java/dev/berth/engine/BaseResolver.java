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
 * {@code docker-archive:FILE[:REPO:TAG]}, or a Docker reference ({@code busybox} is
 * {@code docker.io/library/busybox:latest}), looked up in the store first as docker looks at its
 * local images, then pulled according to the pull policy.
 */
public final class BaseResolver {
  private final ContentStore store;
  private final Path workingDirectory;
  private final PullPolicy pullPolicy;
  private final RegistryAccess registry;
  private final dev.berth.event.BuildListener warnings;
  private final java.util.Set<String> checked = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Bases read once per run: a tree's images share a few bases (content-addressed, so never stale). */
  private final java.util.Map<String, BaseImage> loaded = new java.util.concurrent.ConcurrentHashMap<>();
  /** A lock per base being resolved (by name and platform). */
  private final java.util.Map<String, Object> resolving = new java.util.concurrent.ConcurrentHashMap<>();

  /** A resolver that never contacts a registry: bases come from the store, layouts and archives. */
  public BaseResolver(ContentStore store, Path workingDirectory) {
    this(store, workingDirectory, PullPolicy.NEVER, RegistryAccess.NONE, dev.berth.event.BuildListener.NONE);
  }

  public BaseResolver(ContentStore store, Path workingDirectory, PullPolicy pullPolicy, RegistryAccess registry,
      dev.berth.event.BuildListener warnings) {
    this.store = store;
    this.workingDirectory = workingDirectory;
    this.pullPolicy = pullPolicy;
    this.registry = registry;
    this.warnings = warnings;
  }

  /**
   * The image {@code base} names. One base is resolved by one thread at a time, so that images
   * prepared in parallel share one pull (or one registry check) of their common base.
   */
  public BaseImage resolve(String base, Platform platform, String created) throws IOException {
    synchronized (resolving.computeIfAbsent(base + " " + platform, name -> new Object())) {
      return resolveAlone(base, platform, created);
    }
  }

  private BaseImage resolveAlone(String base, Platform platform, String created) throws IOException {
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
      reference = ImageReference.parseDocker(base);
    } catch (IllegalArgumentException e) {
      throw new BuildException("invalid base '" + base + "': " + e.getMessage());
    }
    Optional<Descriptor> found = findInStore(reference);
    boolean implicitRegistry = ImageReference.parse(base).registry() == null;
    if (found.isPresent() && !implicitRegistry && pullPolicy != PullPolicy.NEVER && !serves(found.get(), platform)) {
      // The store holds another platform's image of this reference (pulled for it): pull this platform's,
      // leaving the name to the first.
      Descriptor pulled = registry.pull(reference, platform);
      return load(base, pulled.withoutAnnotations(), platform);
    }
    if (pullPolicy != PullPolicy.NEVER) {
      // A name written without a registry is used from the store as docker uses its local images.
      found = found.isPresent() && implicitRegistry && pullPolicy == PullPolicy.MISSING ? found
          : fresh(base, reference, platform, found);
    }
    if (found.isEmpty()) {
      throw new BuildException("base image '" + base + "' is not in the store " + store.root()
          + " (as " + reference + "; --pull=never)");
    }
    return load(base, found.get(), platform);
  }

  /** Whether {@code stored} is (an index with) an image for {@code platform}. */
  private boolean serves(Descriptor stored, Platform platform) throws IOException {
    if (!store.hasBlob(stored.digest())) {
      return true;  // let the usual path say what is wrong
    }
    if (MediaTypes.isIndex(stored.mediaType())) {
      return ImageIndex.parse(store.readBlob(stored.digest())).manifestFor(platform).isPresent();
    }
    if (!MediaTypes.isManifest(stored.mediaType())) {
      return true;
    }
    ImageManifest manifest = ImageManifest.parse(store.readBlob(stored.digest()));
    return !store.hasBlob(manifest.config().digest())
        || platform.matches(ImageConfig.parse(store.readBlob(manifest.config().digest())).platform());
  }

  /** An image the store holds under exactly {@code storeName} (a parent of the tree by its key tag). */
  public BaseImage resolveStored(String storeName, Platform platform) throws IOException {
    Descriptor found = store.resolve(storeName).orElseThrow(() -> new BuildException(
        "base image '" + storeName + "' is not in the store " + store.root()));
    return load(storeName, found, platform);
  }

  /** Under --pull=missing a stored base is used as it is, but a moved or unreachable tag is reported. */
  private void warnIfStale(ImageReference reference, Descriptor stored) {
    if (!checked.add(reference.toString()) || reference.digest() != null) {
      return;
    }
    try {
      Optional<Descriptor> remote = registry.head(reference);
      if (remote.isEmpty()) {
        warn("base " + reference + " is no longer in its registry; using the stored copy");
      } else if (!remote.get().digest().equals(stored.digest())) {
        warn("base " + reference + " moved in its registry; using the stored copy (--pull=always to refresh)");
      }
    } catch (IOException | RuntimeException e) {
      warn("cannot check base " + reference + " in its registry (" + e.getMessage()
          + "); using the stored copy");
    }
  }

  /** The store's copy of a registry base, pulled first when it is missing or (under always) moved. */
  private Optional<Descriptor> fresh(String base, ImageReference reference, Platform platform,
      Optional<Descriptor> stored) throws IOException {
    if (stored.isPresent() && pullPolicy == PullPolicy.MISSING) {
      warnIfStale(reference, stored.get());
      return stored;
    }
    String storeName = reference.digest() != null && reference.tag() == null ? reference.familiarName()
        : reference.withDigest(null).withTag(reference.tagOrDefault()).familiarName();
    try {
      if (stored.isPresent()) {
        Optional<Descriptor> remote = registry.head(reference);
        if (remote.isEmpty()) {
          throw new BuildException("base image '" + reference + "' is no longer in its registry");
        }
        if (remote.get().digest().equals(stored.get().digest()) || reference.digest() != null) {
          return stored;
        }
        warn("base " + reference + " moved: " + stored.get().digest() + " -> " + remote.get().digest());
      }
      Descriptor pulled = registry.pull(reference, platform);
      store.tag(storeName, pulled);
      return Optional.of(pulled.withoutAnnotations());
    } catch (IOException | RuntimeException e) {
      if (e instanceof BuildException) {
        throw e;
      }
      String pull = "--pull=" + pullPolicy.name().toLowerCase(java.util.Locale.ROOT);
      if (stored.isEmpty()) {
        String what = dev.berth.spec.BaseReference.namesTreeImage(base) ? "base image '" + base + "' is not an image of the tree, and "
            : "base image '" + base + "'" + (base.equals(reference.toString()) ? "" : " (" + reference + ")");
        throw new BuildException(what + (dev.berth.spec.BaseReference.namesTreeImage(base) ? reference + " " : " ")
            + "is not in the store and cannot be pulled (" + pull + "): " + e.getMessage(), e);
      }
      throw new BuildException("cannot check base image '" + reference + "' in its registry (" + pull + "): "
          + e.getMessage(), e);
    }
  }

  /**
   * The store's entry for {@code reference}: by digest when pinned; else by its familiar name
   * ({@code busybox:latest}, as {@code berth import --as} and docker name it), its full name
   * ({@code docker.io/library/busybox:latest}), or {@code repository:tag} without the host.
   */
  public Optional<Descriptor> findInStore(ImageReference reference) throws IOException {
    if (reference.digest() != null) {
      if (!store.hasBlob(reference.digest())) {
        return Optional.empty();
      }
      byte[] bytes = store.readBlob(reference.digest());
      return Optional.of(new Descriptor(mediaTypeOf(bytes), reference.digest(), bytes.length));
    }
    ImageReference named = reference.withDigest(null).withTag(reference.tagOrDefault());
    for (String name : new java.util.LinkedHashSet<>(List.of(named.familiarName(), named.toString(),
        named.localName()))) {
      Optional<Descriptor> found = store.resolve(name);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private BaseImage fromOciLayout(String spec, Platform platform) throws IOException {
    int colon = spec.indexOf(':');
    Path dir = workingDirectory.resolve(colon < 0 ? spec : spec.substring(0, colon));
    String tag = colon < 0 ? null : spec.substring(colon + 1);
    ContentStore layout = ContentStore.openExisting(dir);
    List<Descriptor> entries = layout.references().stream()
        .filter(entry -> !dev.berth.store.StoreReferrers.isReferrersName(entry.annotations().get(Descriptor.REF_NAME)))
        .toList();
    Descriptor chosen;
    if (tag == null && entries.size() == 1) {
      chosen = entries.get(0);
    } else {
      String wanted = tag == null ? ImageReference.DEFAULT_TAG : tag;
      chosen = layout.resolve(wanted).orElseThrow(() -> new BuildException(
          "base 'oci:" + spec + "': the layout " + dir + " has no image named '" + wanted + "'"));
    }
    read(layout, "oci:" + spec, chosen, platform);  // a platform it lacks is refused before anything is copied
    ImageCopy.copy(layout, chosen, store, null);
    return load("oci:" + spec, chosen, platform);
  }

  private BaseImage load(String base, Descriptor descriptor, Platform platform) throws IOException {
    String key = descriptor.digest() + " " + descriptor.mediaType() + " " + platform;
    BaseImage known = loaded.get(key);
    if (known != null) {
      return known;
    }
    BaseImage image = read(base, descriptor, platform);
    loaded.put(key, image);
    return image;
  }

  private BaseImage read(String base, Descriptor descriptor, Platform platform) throws IOException {
    return read(store, base, descriptor, platform);
  }

  private static BaseImage read(ContentStore store, String base, Descriptor descriptor, Platform platform)
      throws IOException {
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

  private void warn(String message) {
    warnings.on(new dev.berth.event.BuildEvent.Warning("", message));
  }
}
