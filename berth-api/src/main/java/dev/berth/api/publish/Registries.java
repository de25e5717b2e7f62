package dev.berth.api.publish;

import dev.berth.engine.RegistryAccess;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * Registry access for base images, through the command's registry clients, pulling into the store.
 * Docker Hub references go to its mirrors first, in order (as dockerd's {@code registry-mirrors}), and
 * to Docker Hub itself when no mirror has the image.
 */
public final class Registries implements RegistryAccess {
  private final RegistryClients options;
  private final ContentStore store;
  private final List<String> mirrors;
  private final BuildListener warnings;

  public Registries(RegistryClients options, ContentStore store) {
    this(options, store, List.of(), BuildListener.NONE);
  }

  /** @param mirrors Docker Hub mirrors as {@code [http[s]://]host[:port]}, tried in order */
  public Registries(RegistryClients options, ContentStore store, List<String> mirrors, BuildListener warnings) {
    this.options = options;
    this.store = store;
    this.mirrors = List.copyOf(mirrors);
    this.warnings = warnings;
  }

  @Override
  public Optional<Descriptor> head(ImageReference reference) throws IOException {
    for (ImageReference candidate : mirrored(reference)) {
      try {
        Optional<Descriptor> found = options.clientFor(candidate.registry())
            .headManifest(candidate.repository(), candidate.manifestReference());
        if (found.isPresent()) {
          return found;
        }
      } catch (IOException | RuntimeException e) {
        warnings.on(new BuildEvent.Warning("", "registry mirror " + candidate.registry() + ": " + e.getMessage()));
      }
    }
    return options.clientFor(reference.registry()).headManifest(reference.repository(), reference.manifestReference());
  }

  @Override
  public Descriptor pull(ImageReference reference, Platform platform) throws IOException {
    for (ImageReference candidate : mirrored(reference)) {
      try {
        var client = options.clientFor(candidate.registry());
        if (client.headManifest(candidate.repository(), candidate.manifestReference()).isPresent()) {
          return pullWithReferrers(client, candidate, platform);
        }
      } catch (IOException | RuntimeException e) {
        warnings.on(new BuildEvent.Warning("", "registry mirror " + candidate.registry() + ": " + e.getMessage()));
      }
    }
    return pullWithReferrers(options.clientFor(reference.registry()), reference, platform);
  }

  /** The base and its SBOM and provenance, so that an image built on it carries the base's packages forward. */
  private Descriptor pullWithReferrers(dev.berth.registry.RegistryClient client, ImageReference reference,
      Platform platform) throws IOException {
    Descriptor pulled = client.pull(reference, platform, store).pulled().withoutAnnotations();
    client.pullReferrers(reference, pulled.digest(), new dev.berth.store.StoreReferrers(store));
    return pulled;
  }

  /** {@code reference} on each mirror, when it is a Docker Hub reference; else none. */
  private List<ImageReference> mirrored(ImageReference reference) {
    List<ImageReference> out = new ArrayList<>();
    if (reference.isDockerHub()) {
      for (String mirror : mirrors) {
        out.add(reference.withRegistry(mirrorHost(mirror)));
      }
    }
    return out;
  }

  /** The host of a mirror URL ({@code http://127.0.0.1:5000/} → {@code 127.0.0.1:5000}). */
  public static String mirrorHost(String mirror) {
    String host = mirror.replaceFirst("^[a-zA-Z]+://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }
}
