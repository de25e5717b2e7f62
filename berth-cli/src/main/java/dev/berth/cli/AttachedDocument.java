package dev.berth.cli;

import dev.berth.api.transfer.ImageEndpoints;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.oci.Referrer;
import dev.berth.oci.ReferrersIndex;
import dev.berth.registry.ImageLocation;
import dev.berth.registry.ManifestResponse;
import dev.berth.registry.RegistryClient;
import dev.berth.store.ContentStore;
import dev.berth.store.StoreReferrers;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the artifact of a kind (SBOM, provenance) attached to the image a reference names, in a
 * registry (referrers API or tag schema), an {@code oci:} layout or the store. Shared by
 * {@code berth sbom} and {@code berth provenance}.
 */
final class AttachedDocument {
  /** A found document: its media type, bytes, and the image manifest it is about. */
  record Found(String mediaType, byte[] bytes, Digest subject) {}

  private AttachedDocument() {}

  static Optional<Found> find(String reference, Predicate<String> artifactType, GlobalOptions global,
      RegistryOptions registries) throws IOException {
    ImageLocation location = ImageLocation.parse(reference);
    if (location instanceof ImageLocation.RegistryLocation registry) {
      RegistryClient client = registries.clientFor(registry.reference().registry());
      String repository = registry.reference().repository();
      ManifestResponse top = client.getManifest(repository, registry.reference().manifestReference());
      Descriptor manifest = top.descriptor();
      if (MediaTypes.isIndex(manifest.mediaType())) {
        manifest = ImageIndex.parse(top.bytes()).manifestFor(Platform.host())
            .orElseThrow(() -> new IOException(reference + " has no image for " + Platform.host()));
      }
      ReferrersIndex index = client.referrers(repository, manifest.digest());
      for (Referrer referrer : index.manifests()) {
        if (artifactType.test(referrer.artifactType())) {
          byte[] bytes = client.readArtifact(repository, manifest.digest(), referrer);
          return Optional.of(new Found(referrer.artifactType(), bytes, manifest.digest()));
        }
      }
      return Optional.empty();
    }
    ImageEndpoints.Source source = new ImageEndpoints(global::openStore, registries.clients(), new TransferLines(System.out)).read(location, null, null);
    ContentStore store = source.store();
    StoreReferrers referrers = location instanceof ImageLocation.OciLayoutLocation
        ? StoreReferrers.ofLayout(store) : new StoreReferrers(store);
    Digest subject = source.top().digest();
    for (Referrer referrer : referrers.list(subject).manifests()) {
      if (artifactType.test(referrer.artifactType())) {
        Optional<byte[]> bytes = referrers.document(subject, referrer.artifactType());
        if (bytes.isPresent()) {
          return Optional.of(new Found(referrer.artifactType(), bytes.get(), subject));
        }
      }
    }
    return Optional.empty();
  }
}
