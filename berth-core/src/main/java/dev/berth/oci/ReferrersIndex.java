package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The artifacts that refer to one manifest: what the referrers API answers, and what the referrers
 * tag schema keeps under the tag {@code sha256-<hex>} of the subject on registries without that API.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReferrersIndex(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("manifests") List<Referrer> manifests) {

  public ReferrersIndex {
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
  }

  public static ReferrersIndex empty() {
    return new ReferrersIndex(2, MediaTypes.OCI_INDEX, List.of());
  }

  /** The tag the referrers tag schema uses for {@code subject}: {@code sha256-<hex>}. */
  public static String tagFor(Digest subject) {
    return subject.algorithm() + "-" + subject.hex();
  }

  /** This index with {@code referrer} added, replacing an entry of the same artifact type; sorted by digest. */
  public ReferrersIndex with(Referrer referrer) {
    List<Referrer> out = new ArrayList<>();
    for (Referrer existing : manifests) {
      if (!existing.digest().equals(referrer.digest())) {
        out.add(existing);
      }
    }
    out.add(referrer);
    out.sort(Comparator.comparing(r -> r.digest().toString()));
    return new ReferrersIndex(2, MediaTypes.OCI_INDEX, out);
  }

  /** The newest-listed referrer of {@code artifactType}, if any. */
  public Optional<Referrer> find(String artifactType) {
    return manifests.stream().filter(r -> artifactType.equals(r.artifactType())).reduce((a, b) -> b);
  }

  public byte[] toJson() {
    return Json.canonical(this);
  }

  public static ReferrersIndex parse(byte[] json) {
    ReferrersIndex index = Json.read(json, ReferrersIndex.class);
    if (index.schemaVersion() != 2) {
      throw new InvalidContentException("referrers index has schemaVersion " + index.schemaVersion() + ", expected 2");
    }
    return index;
  }
}
