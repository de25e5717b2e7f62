package dev.berth.registry;

import dev.berth.oci.ArtifactManifest;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Referrer;
import dev.berth.oci.ReferrersIndex;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.Optional;

/**
 * Artifacts about a manifest in a registry: listed through the referrers API where the registry has
 * it, else through the referrers tag schema (an index under the tag {@code sha256-<hex>}); attached by
 * pushing each artifact manifest by digest and then, without the API, adding it to that tag's index.
 */
final class RegistryReferrers {
  private final ReferrersPuller referrersPuller;
  private final ManifestPuller manifestPuller;
  private final ManifestPusher manifestPusher;

  RegistryReferrers(RegistryTransport transport) {
    this.referrersPuller = new ReferrersPuller(transport);
    this.manifestPuller = new ManifestPuller(transport);
    this.manifestPusher = new ManifestPusher(transport);
  }

  ReferrersIndex list(String repository, Digest subject) throws IOException {
    Optional<ReferrersIndex> fromApi = referrersPuller.get(repository, subject);
    if (fromApi.isPresent()) {
      return fromApi.get();
    }
    return fromTag(repository, subject);
  }

  private ReferrersIndex fromTag(String repository, Digest subject) throws IOException {
    String tag = ReferrersIndex.tagFor(subject);
    if (manifestPuller.head(repository, tag).isEmpty()) {
      return ReferrersIndex.empty();
    }
    ManifestResponse response = manifestPuller.get(repository, tag, java.util.List.of(MediaTypes.OCI_INDEX));
    if (!MediaTypes.OCI_INDEX.equals(response.descriptor().mediaType())) {
      throw new InvalidContentException(repository + ":" + tag + " is a " + response.descriptor().mediaType()
          + ", not the OCI index the referrers tag schema keeps there");
    }
    return ReferrersIndex.parse(response.bytes());
  }

  /**
   * Pushes the artifact manifests of {@code index} (and their blobs) from {@code store}, then records
   * them under the subject's tag unless the registry has the referrers API.
   */
  void push(ImagePusher pusher, ContentStore store, ImageReference repository, Digest subject, ReferrersIndex index)
      throws IOException {
    for (Referrer referrer : index.manifests()) {
      ArtifactManifest artifact = ArtifactManifest.parse(store.readBlob(referrer.digest()));
      if (artifact.subject() == null || !artifact.subject().digest().equals(subject)) {
        throw new InvalidContentException("artifact " + referrer.digest() + " in the store is not about " + subject);
      }
      pusher.push(store, referrer.descriptor(), new ImageReference(repository.registry(), repository.repository(),
          null, referrer.digest()));
    }
    if (referrersPuller.get(repository.repository(), subject).isPresent()) {
      return;  // the registry lists them itself, from their subject
    }
    ReferrersIndex current = fromTag(repository.repository(), subject);
    ReferrersIndex merged = current;
    for (Referrer referrer : index.manifests()) {
      merged = merged.with(referrer);
    }
    if (!merged.equals(current)) {
      byte[] bytes = merged.toJson();
      manifestPusher.put(repository.repository(), ReferrersIndex.tagFor(subject),
          new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256(bytes), bytes.length), bytes);
    }
  }
}
