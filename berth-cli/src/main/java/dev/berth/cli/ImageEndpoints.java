package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.engine.docker.DaemonImages;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.registry.ImageLocation;
import dev.berth.registry.PullResult;
import dev.berth.registry.PushResult;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import dev.berth.store.ImageCopy;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.MediaTypes;
import java.util.List;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/** Reading an image from, and writing it to, any {@link ImageLocation}; shared by pull, push and copy. */
final class ImageEndpoints {
  /**
   * An image held in some content store, ready to be copied or pushed.
   *
   * @param name what the image is called where it came from (a store name or registry reference), or null
   */
  record Source(ContentStore store, Descriptor top, String name) {
    Source(ContentStore store, Descriptor top) {
      this(store, top, null);
    }
  }

  private final GlobalOptions global;
  private final RegistryOptions registries;
  private final RegistryOptions destinations;
  private final PrintStream out;
  private ContentStore localStore;

  ImageEndpoints(GlobalOptions global, RegistryOptions registries, PrintStream out) {
    this(global, registries, registries, out);
  }

  /** Reads from registries with {@code sources}' options and writes with {@code destinations}' (copy's --src-creds, --dest-creds). */
  ImageEndpoints(GlobalOptions global, RegistryOptions sources, RegistryOptions destinations, PrintStream out) {
    this.global = global;
    this.registries = sources;
    this.destinations = destinations;
    this.out = out;
  }

  ContentStore localStore() throws IOException {
    if (localStore == null) {
      localStore = global.openStore();
    }
    return localStore;
  }

  /** The name a registry image gets in the local store: its full reference. */
  static String storeName(ImageReference reference) {
    return reference.digest() != null && reference.tag() == null
        ? reference.toString()
        : reference.withDigest(null).withTag(reference.tagOrDefault()).toString();
  }

  /** Finds or fetches {@code location}; registry images are pulled into {@code cache}. */
  Source read(ImageLocation location, Platform platform, ContentStore cache) throws IOException {
    if (location instanceof ImageLocation.StoreLocation store) {
      return new Source(localStore(), findIn(localStore(), store.reference()), store.reference().localName());
    }
    if (location instanceof ImageLocation.OciLayoutLocation oci) {
      if (!Files.isRegularFile(oci.directory().resolve("index.json"))) {
        throw new IOException("no OCI layout at " + oci.directory());
      }
      ContentStore layout = ContentStore.open(oci.directory());
      return new Source(layout, layout.resolve(oci.refName()).orElseThrow(() ->
          new IOException("no image named " + oci.refName() + " in OCI layout " + oci.directory())));
    }
    if (location instanceof ImageLocation.RegistryLocation registry) {
      ImageReference reference = registry.reference();
      PullResult pulled = registries.clientFor(reference.registry()).pull(reference, platform, cache);
      out.printf("pulled %s: %d blobs downloaded, %d already present%n", reference,
          pulled.downloaded().size(), pulled.skipped().size());
      return new Source(cache, pulled.pulled(), storeName(reference));
    }
    if (location instanceof ImageLocation.DockerDaemonLocation daemon) {
      return new Source(cache, DaemonImages.read(DockerEngine.fromEnvironment(System.getenv()), daemon.name(), cache),
          daemon.name());
    }
    ImageLocation.DockerArchiveLocation archive = (ImageLocation.DockerArchiveLocation) location;
    return new Source(cache, DockerArchive.read(archive.file(), null, cache));
  }

  /** Writes {@code source} to {@code location}. */
  void write(Source source, ImageLocation location) throws IOException {
    if (location instanceof ImageLocation.StoreLocation store) {
      ImageCopy.copy(source.store(), source.top(), localStore(), store.reference().localName());
    } else if (location instanceof ImageLocation.OciLayoutLocation oci) {
      ImageCopy.copy(source.store(), source.top(), ContentStore.open(oci.directory()), oci.refName());
    } else if (location instanceof ImageLocation.RegistryLocation registry) {
      ImageReference target = registry.reference();
      long start = System.nanoTime();
      PushResult result = destinations.clientFor(target.registry()).push(source.store(), source.top(), target);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("pushed %s@%s in %.3f s: %s%n", target.withDigest(null), result.pushed().digest(), seconds,
          result.upToDate()
          ? "already up to date"
          : result.uploaded().size() + " blobs uploaded, " + result.mounted().size() + " mounted, "
              + result.skipped().size() + " already present");
    } else if (location instanceof ImageLocation.DockerDaemonLocation daemon) {
      DaemonImages.write(DockerEngine.fromEnvironment(System.getenv()), source.store(), onePlatform(source), daemon.name())
          .forEach(name -> out.println("loaded " + name + " into the engine"));
    } else {
      ImageLocation.DockerArchiveLocation archive = (ImageLocation.DockerArchiveLocation) location;
      // Named as docker save names it, so that docker load tags it.
      DockerArchive.write(source.store(), onePlatform(source), source.name() == null ? List.of() : List.of(source.name()),
          archive.file());
    }
  }

  /** The image a docker archive or engine takes: of an index, this machine's platform. */
  private static Descriptor onePlatform(Source source) throws IOException {
    Descriptor manifest = source.top();
    if (MediaTypes.isIndex(manifest.mediaType())) {
      manifest = ImageIndex.parse(source.store().readBlob(manifest.digest())).manifestFor(Platform.host())
          .orElseThrow(() -> new IOException("the index has no image for " + Platform.host()
              + "; a docker archive holds one platform"));
    }
    return manifest;
  }

  static Descriptor findIn(ContentStore store, ImageReference reference) throws IOException {
    if (reference.registry() != null) {
      var full = store.resolve(storeName(reference));
      if (full.isPresent()) {
        return full.get();
      }
    }
    return store.resolve(reference.localName()).orElseThrow(() ->
        new IOException("no image named " + reference + " in the store " + store.root()));
  }
}
