package dev.berth.api.publish;

import dev.berth.dockerfile.DockerPkgTree;
import dev.berth.engine.KeyedBuild;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.plan.Planner;
import dev.berth.plan.TreeBuild;
import dev.berth.registry.PullResult;
import dev.berth.registry.PushResult;
import dev.berth.registry.RegistryClient;
import dev.berth.spec.ImageSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a tree's images are published ({@code REGISTRY/NAME:TAG}, REGISTRY being HOST[:PORT][/NAMESPACE]
 * from berth.yaml or --registry), and the three things a run does with it: ask whether a key is
 * there already, fetch it instead of building it, and push verified images with all their tags.
 */
public final class Publishing {
  private final String host;
  private final String namespace;
  private final RegistryClients registries;
  private final ContentStore store;
  private BuildListener events = BuildListener.NONE;

  public Publishing(String registry, RegistryClients registries, ContentStore store) {
    String trimmed = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
    int slash = trimmed.indexOf('/');
    this.host = slash < 0 ? trimmed : trimmed.substring(0, slash);
    this.namespace = slash < 0 ? "" : trimmed.substring(slash + 1) + "/";
    this.registries = registries;
    this.store = store;
    target("example", "latest");  // fails now, with the registry named, if HOST/NAMESPACE cannot make references
  }

  /** Where the bytes each push and fetch moved are reported. */
  public Publishing reporting(BuildListener listener) {
    this.events = listener;
    return this;
  }

  public ImageReference target(String name, String tag) {
    try {
      return ImageReference.parse(host + "/" + namespace + name + ":" + tag);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("registry '" + host + "/" + namespace + "' does not make valid image"
          + " references: " + e.getMessage());
    }
  }

  /** The manifest the registry has under {@code name:tag}, if any; an error when it cannot be asked. */
  public Optional<Descriptor> find(String name, String tag) throws IOException {
    return registries.clientFor(host).headManifest(namespace + name, tag);
  }

  public Planner.RemoteCheck remoteCheck() {
    return (spec, key) -> registries.clientFor(host)
        .headManifest(namespace + spec.name(), key.tag()).isPresent();
  }

  /** Pulls an image the registry has under its key into the store, named as a local build would be. */
  public TreeBuild.Fetcher fetcher() {
    return prepared -> {
      ImageReference reference = target(prepared.spec().name(), prepared.key().tag());
      events.on(new BuildEvent.TransferStarted(prepared.spec().name(), reference.toString(), BuildEvent.Direction.PULL));
      long started = System.nanoTime();
      PullResult pulled = registries.clientFor(host).pull(reference, prepared.spec().platform(), store,
          blobProgress(prepared.spec().name(), reference, BuildEvent.Direction.PULL));
      Descriptor manifest = pulled.pulled().withoutAnnotations();
      registries.clientFor(host).pullReferrers(reference, manifest.digest(), new dev.berth.store.StoreReferrers(store));
      events.on(new BuildEvent.BytesTransferred(prepared.spec().name(), reference.toString(),
          BuildEvent.Direction.PULL, bytes(pulled.downloaded()), pulled.downloaded().size(),
          java.time.Duration.ofNanos(System.nanoTime() - started)));
      store.tag(KeyedBuild.keyName(prepared), manifest);
      return manifest;
    };
  }

  /**
   * Pushes an image under all its names: its key tag, its other tags and, for a docker-pkg image,
   * {@code latest} too, as docker-pkg publishes. A version tag the registry already has with other
   * content is never overwritten (nor is {@code latest} moved then): that is docker-pkg's "already
   * published", reported in the references.
   */
  public TreeBuild.Publisher publisher() {
    return (spec, image) -> {
      List<String> pushed = new ArrayList<>();
      if (dev.berth.dockerfile.DockerfileFrontend.isStage(spec.name())) {
        return pushed;  // a build stage of a Dockerfile is not published
      }
      RegistryClient client = registries.clientFor(host);
      Optional<Descriptor> versionThere = image.version() == null ? Optional.empty()
          : client.headManifest(namespace + spec.name(), image.version())
              .filter(there -> !there.digest().equals(image.manifest().digest()));
      for (String tag : tags(spec, image)) {
        if (versionThere.isPresent() && (tag.equals(image.version()) || tag.equals(LATEST))) {
          continue;
        }
        ImageReference target = target(spec.name(), tag);
        events.on(new BuildEvent.TransferStarted(spec.name(), target.toString(), BuildEvent.Direction.PUSH));
        long started = System.nanoTime();
        PushResult result = client.push(store, image.manifest(), target,
            blobProgress(spec.name(), target, BuildEvent.Direction.PUSH));
        pushed.add(target + "@" + result.pushed().digest());
        events.on(new BuildEvent.BytesTransferred(spec.name(), target.toString(), BuildEvent.Direction.PUSH,
            bytes(result.uploaded()), result.uploaded().size(), java.time.Duration.ofNanos(System.nanoTime() - started)));
      }
      if (!pushed.isEmpty()) {  // SBOM and provenance: after the image, never before
        client.pushReferrers(store, target(spec.name(), tags(spec, image).get(0)), image.manifest().digest(),
            new dev.berth.store.StoreReferrers(store).list(image.manifest().digest()));
      }
      versionThere.ifPresent(there -> pushed.add(target(spec.name(), image.version()) + " already published as "
          + there.digest() + " (other content; not overwritten: run update for a new version)"));
      return pushed;
    };
  }

  /** The registry as a fleet of Docker engines shares it (the key tags are the source of truth). */
  public dev.berth.fleet.FleetRegistry fleetRegistry() throws IOException {
    return new dev.berth.fleet.FleetRegistry(registries.clientFor(host), host, namespace,
        registries.credentialsFor(host));
  }

  static final String LATEST = "latest";

  /** Reports each blob's bytes as {@link BuildEvent.BlobProgress} events of {@code image}. */
  private dev.berth.registry.TransferListener blobProgress(String image, ImageReference reference,
      BuildEvent.Direction direction) {
    BuildListener listener = events;
    return blob -> listener.on(new BuildEvent.BlobProgress(image, reference.toString(), direction, blob.digest(),
        blob.bytes(), blob.total()));
  }

  private long bytes(List<dev.berth.oci.Digest> blobs) throws IOException {
    long total = 0;
    for (dev.berth.oci.Digest blob : blobs) {
      total += store.blobSize(blob);
    }
    return total;
  }

  /** The tags an image is published under: those it has in the store, and latest for a docker-pkg image. */
  public static List<String> tags(ImageSpec spec, KeyedBuild.Outcome image) {
    List<String> tags = new ArrayList<>();
    for (String refName : image.refNames()) {
      tags.add(refName.substring(refName.lastIndexOf(':') + 1));
    }
    boolean dockerPkg = java.nio.file.Files.isRegularFile(spec.folder().resolve(DockerPkgTree.TEMPLATE));
    if (dockerPkg && image.version() != null && tags.contains(image.version()) && !tags.contains(LATEST)) {
      tags.add(LATEST);
    }
    return tags;
  }

  public static Optional<Publishing> from(String option, String treeRegistry, RegistryClients registries, ContentStore store) {
    String registry = option != null ? option : treeRegistry;
    return registry == null ? Optional.empty() : Optional.of(new Publishing(registry, registries, store));
  }
}
