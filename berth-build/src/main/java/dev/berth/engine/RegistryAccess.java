package dev.berth.engine;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import java.io.IOException;
import java.util.Optional;

/** What base resolution needs of a registry: the digest a tag names now, and a pull into the store. */
public interface RegistryAccess {
  /** The descriptor the registry serves for {@code reference}, or empty when it has no such tag. */
  Optional<Descriptor> head(ImageReference reference) throws IOException;

  /** Pulls {@code reference} (the image for {@code platform}) into the store and returns what it stored. */
  Descriptor pull(ImageReference reference, Platform platform) throws IOException;

  RegistryAccess NONE = new RegistryAccess() {
    @Override
    public Optional<Descriptor> head(ImageReference reference) throws IOException {
      throw new IOException("no registry access configured");
    }

    @Override
    public Descriptor pull(ImageReference reference, Platform platform) throws IOException {
      throw new IOException("no registry access configured");
    }
  };
}
