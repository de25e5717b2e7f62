package dev.berth.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.registry.ManifestResponse;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Advisory claims in the registry, so that runs started together split a tree instead of building
 * it twice: before building a key, a run tags a tiny empty image {@code NAME:KEYTAG-claim} that names
 * the run's owner and the time. Another run that finds a fresh claim of another owner waits for the
 * key tag instead of building, until the claim is released (its build failed) or older than the
 * lease (its run died). A registry has no compare-and-swap, so two runs that claim in the same instant
 * both build; the key tag, checked again before every push, keeps the end state consistent anyway.
 *
 * @param owner who claims: the machine and the tree, so a resumed run takes over its own claims
 */
record KeyClaims(FleetRegistry registry, ContentStore store, String owner, Duration lease, Clock clock) {
  static final String SUFFIX = "-claim";
  private static final String OWNER = "dev.berth.claim.owner";
  private static final String TIME = "dev.berth.claim.time";
  private static final String RELEASED = "dev.berth.claim.released";

  /** What another run's claim says, if there is one in force for the key. */
  Optional<String> heldByOther(String image, String keyTag) throws IOException {
    Optional<Descriptor> there = registry.client().headManifest(registry.namespace() + image, keyTag + SUFFIX);
    if (there.isEmpty()) {
      return Optional.empty();
    }
    ManifestResponse manifest = registry.client().getManifest(registry.namespace() + image, keyTag + SUFFIX);
    byte[] config = registry.client().readBlob(registry.namespace() + image,
        ImageManifest.parse(manifest.bytes()).config());
    JsonNode labels = Json.tree(config).path("config").path("Labels");
    String owner = labels.path(OWNER).asText("");
    Instant time = Instant.parse(labels.path(TIME).asText("1970-01-01T00:00:00Z"));
    boolean released = labels.path(RELEASED).asBoolean(false);
    if (owner.equals(this.owner) || released || time.plus(lease).isBefore(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(owner);
  }

  void claim(String image, String keyTag) throws IOException {
    write(image, keyTag, false);
  }

  /** The build failed on its merits: a waiting run may try the key itself. */
  void release(String image, String keyTag) throws IOException {
    write(image, keyTag, true);
  }

  private void write(String image, String keyTag, boolean released) throws IOException {
    Map<String, String> labels = new TreeMap<>(Map.of(OWNER, owner, TIME, clock.instant().toString()));
    if (released) {
      labels.put(RELEASED, "true");
    }
    Map<String, Object> config = new TreeMap<>(Map.of("architecture", "amd64", "os", "linux",
        "rootfs", Map.of("type", "layers", "diff_ids", List.of()), "config", Map.of("Labels", labels)));
    Descriptor configBlob = store.writeBlob(MediaTypes.OCI_CONFIG, Json.canonical(config));
    Descriptor manifest = store.writeBlob(MediaTypes.OCI_MANIFEST, ImageManifest.oci(configBlob, List.of()).toJson());
    registry.client().push(store, manifest, ImageReference.parse(registry.repository(image) + ":" + keyTag + SUFFIX));
  }
}
