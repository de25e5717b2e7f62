package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaTypes;

/** A manifest or index as the registry served it: its descriptor and its exact bytes. */
public record ManifestResponse(Descriptor descriptor, byte[] bytes) {
  public ManifestResponse {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(descriptor.mediaType());
  }
}
