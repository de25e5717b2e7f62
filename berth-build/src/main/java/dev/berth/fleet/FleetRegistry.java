package dev.berth.fleet;

import dev.berth.engine.BaseImage;
import dev.berth.engine.docker.EngineImages;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.registry.Credentials;
import dev.berth.registry.ManifestResponse;
import dev.berth.registry.RegistryClient;
import java.io.IOException;
import java.util.Optional;

/**
 * The registry a fleet shares: the source of truth for what exists. An image is {@code
 * HOST/NAMESPACE/NAME:KEYTAG}; a key tag there names a complete, verified image.
 *
 * @param namespace empty, or ending with {@code /}
 */
public record FleetRegistry(RegistryClient client, String host, String namespace, Optional<Credentials> credentials) {
  /** {@code HOST/NAMESPACE/NAME}: the repository engines pull from and push to. */
  public String repository(String image) {
    return host + "/" + namespace + image;
  }

  /** The manifest the registry has under the image's key tag, if any. */
  public Optional<Descriptor> keyed(String image, String keyTag) throws IOException {
    return client.headManifest(namespace + image, keyTag);
  }

  /** A published image as a base: its manifest and config, read from the registry (no layers). */
  public BaseImage base(String image, Descriptor manifest) throws IOException {
    ManifestResponse response = client.getManifest(namespace + image, manifest.digest().toString());
    ImageManifest parsed = ImageManifest.parse(response.bytes());
    ImageConfig config = ImageConfig.parse(client.readBlob(namespace + image, parsed.config()));
    return new BaseImage(manifest.digest().toString(), response.descriptor(), parsed, config);
  }

  /** What engines send in {@code X-Registry-Auth} for this registry. */
  public EngineImages.RegistryAuth auth() {
    return credentials.map(c -> new EngineImages.RegistryAuth(c.username(), c.secret(), host))
        .orElse(EngineImages.RegistryAuth.anonymous(host));
  }
}
