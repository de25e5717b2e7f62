package dev.berth.cli;

import dev.berth.engine.RegistryAccess;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.Optional;

/** Registry access for base images, through the command's registry clients, pulling into the store. */
final class Registries implements RegistryAccess {
  private final RegistryOptions options;
  private final ContentStore store;

  Registries(RegistryOptions options, ContentStore store) {
    this.options = options;
    this.store = store;
  }

  @Override
  public Optional<Descriptor> head(ImageReference reference) throws IOException {
    return options.clientFor(reference.registry()).headManifest(reference.repository(), reference.manifestReference());
  }

  @Override
  public Descriptor pull(ImageReference reference, Platform platform) throws IOException {
    return options.clientFor(reference.registry()).pull(reference, platform, store).pulled().withoutAnnotations();
  }
}
