package dev.berth.api.transfer;

import dev.berth.api.publish.RegistryClients;

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
import dev.berth.store.StoreReferrers;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.MediaTypes;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;

/** Reading an image from, and writing it to, any {@link ImageLocation}; shared by pull, push and copy. */
public final class ImageEndpoints {
  /** Hears what each registry transfer did. */
  public interface Transfers {
    void pulled(ImageReference reference, PullResult result);

    void pushed(ImageReference target, PushResult result, java.time.Duration took);

    /** The image was loaded into the Docker engine under {@code names}. */
    void loaded(List<String> names);
  }

  /** Opens the local store when it is first needed. */
  public interface StoreOpener {
    ContentStore open() throws IOException;
  }

  /**
   * An image held in some content store, ready to be copied or pushed.
   *
   * @param name what the image is called where it came from (a store name or registry reference), or null
   */
  public record Source(ContentStore store, Descriptor top, String name) {
    public Source(ContentStore store, Descriptor top) {
      this(store, top, null);
    }
  }

  private final StoreOpener global;
  private final RegistryClients registries;
  private final RegistryClients destinations;
  private final Transfers out;
  private ContentStore localStore;

  public ImageEndpoints(StoreOpener global, RegistryClients registries, Transfers out) {
    this(global, registries, registries, out);
  }

  /** Reads from registries with {@code sources}' clients and writes with {@code destinations}' (copy's --src-creds, --dest-creds). */
  public ImageEndpoints(StoreOpener global, RegistryClients sources, RegistryClients destinations, Transfers out) {
    this.global = global;
    this.registries = sources;
    this.destinations = destinations;
    this.out = out;
  }

  public ContentStore localStore() throws IOException {
    if (localStore == null) {
      localStore = global.open();
    }
    return localStore;
  }

  /** The name a registry image gets in the local store: its full reference. */
  public static String storeName(ImageReference reference) {
    return reference.digest() != null && reference.tag() == null
        ? reference.toString()
        : reference.withDigest(null).withTag(reference.tagOrDefault()).toString();
  }

  /** Finds or fetches {@code location}; registry images are pulled into {@code cache}. */
  public Source read(ImageLocation location, Platform platform, ContentStore cache) throws IOException {
    if (location instanceof ImageLocation.StoreLocation store) {
      return new Source(localStore(), onePlatform(localStore(), findIn(localStore(), store.reference()), platform,
          store.reference().localName()), store.reference().localName());
    }
    if (location instanceof ImageLocation.OciLayoutLocation oci) {
      if (!Files.isRegularFile(oci.directory().resolve("index.json"))) {
        throw new IOException("no OCI layout at " + oci.directory());
      }
      ContentStore layout = ContentStore.open(oci.directory());
      return new Source(layout, onePlatform(layout, layout.resolve(oci.refName()).orElseThrow(() ->
          new IOException("no image named " + oci.refName() + " in OCI layout " + oci.directory())), platform,
          "oci:" + oci.directory() + ":" + oci.refName()));
    }
    if (location instanceof ImageLocation.RegistryLocation registry) {
      ImageReference reference = registry.reference();
      var client = registries.clientFor(reference.registry());
      PullResult pulled = client.pull(reference, platform, cache);
      out.pulled(reference, pulled);
      for (Descriptor subject : subjects(cache, pulled.pulled())) {  // its SBOM and provenance come along
        client.pullReferrers(reference, subject.digest(), referrersIn(cache));
      }
      return new Source(cache, pulled.pulled(), storeName(reference));
    }
    if (location instanceof ImageLocation.DockerDaemonLocation daemon) {
      return new Source(cache, DaemonImages.read(DockerEngine.fromEnvironment(System.getenv()), daemon.name(), cache),
          daemon.name());
    }
    ImageLocation.DockerArchiveLocation archive = (ImageLocation.DockerArchiveLocation) location;
    return new Source(cache, DockerArchive.read(archive.file(), null, cache));
  }

  /**
   * Of an index, the child for {@code platform} (as a pull from a registry picks it); the index itself
   * when {@code platform} is null ({@code --all}) or {@code top} is a manifest.
   */
  private static Descriptor onePlatform(ContentStore store, Descriptor top, Platform platform, String name)
      throws IOException {
    if (platform == null || !MediaTypes.isIndex(top.mediaType())) {
      return top;
    }
    return ImageIndex.parse(store.readBlob(top.digest())).manifestFor(platform)
        .orElseThrow(() -> new IOException(name + " has no image for " + platform)).withoutAnnotations();
  }

  /**
   * Writes {@code source} to {@code location}; the artifacts about it (SBOM, provenance) follow it to a
   * store, an OCI layout or a registry, after the image. A Docker archive or engine cannot hold them.
   */
  public void write(Source source, ImageLocation location) throws IOException {
    StoreReferrers from = referrersIn(source.store());
    if (location instanceof ImageLocation.StoreLocation store) {
      ImageCopy.copy(source.store(), source.top(), localStore(), store.reference().localName());
      for (Descriptor subject : subjects(source.store(), source.top())) {
        from.copyTo(new StoreReferrers(localStore()), subject.digest());
      }
    } else if (location instanceof ImageLocation.OciLayoutLocation oci) {
      ContentStore layout = ContentStore.open(oci.directory());
      ImageCopy.copy(source.store(), source.top(), layout, oci.refName());
      for (Descriptor subject : subjects(source.store(), source.top())) {
        from.copyTo(StoreReferrers.ofLayout(layout), subject.digest());
      }
    } else if (location instanceof ImageLocation.RegistryLocation registry) {
      ImageReference target = registry.reference();
      long start = System.nanoTime();
      var client = destinations.clientFor(target.registry());
      PushResult result = client.push(source.store(), source.top(), target);
      out.pushed(target, result, java.time.Duration.ofNanos(System.nanoTime() - start));
      for (Descriptor subject : subjects(source.store(), source.top())) {
        client.pushReferrers(source.store(), target, subject.digest(), from.list(subject.digest()));
      }
    } else if (location instanceof ImageLocation.DockerDaemonLocation daemon) {
      out.loaded(DaemonImages.write(DockerEngine.fromEnvironment(System.getenv()), source.store(), onePlatform(source),
          daemon.name()));
    } else {
      ImageLocation.DockerArchiveLocation archive = (ImageLocation.DockerArchiveLocation) location;
      // Named as docker save names it, so that docker load tags it.
      DockerArchive.write(source.store(), onePlatform(source), source.name() == null ? List.of() : List.of(source.name()),
          archive.file());
    }
  }

  /**
   * How {@code store} keeps artifacts: berth's store under {@code referrers:sha256-<hex>}, an OCI layout
   * (and a registry) under the tag schema's {@code sha256-<hex>}.
   */
  private StoreReferrers referrersIn(ContentStore store) {
    return store == localStore ? new StoreReferrers(store) : StoreReferrers.ofLayout(store);
  }

  /** The manifests artifacts may be about: {@code top}, and each manifest of an index that the store holds. */
  private static List<Descriptor> subjects(ContentStore store, Descriptor top) throws IOException {
    List<Descriptor> out = new java.util.ArrayList<>(List.of(top));
    if (MediaTypes.isIndex(top.mediaType())) {
      for (Descriptor child : ImageIndex.parse(store.readBlob(top.digest())).manifests()) {
        if (store.hasBlob(child.digest())) {
          out.add(child);
        }
      }
    }
    return out;
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

  public static Descriptor findIn(ContentStore store, ImageReference reference) throws IOException {
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
