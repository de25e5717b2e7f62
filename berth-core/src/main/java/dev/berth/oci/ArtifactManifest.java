package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI 1.1 artifact: an image manifest with an {@code artifactType}, the empty config, one blob
 * per document, and the {@code subject} it is about (an SBOM or a provenance of an image).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ArtifactManifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") List<Descriptor> layers,
    @JsonProperty("subject") Descriptor subject,
    @JsonProperty("annotations") Map<String, String> annotations) {

  /** OCI's empty descriptor: the two bytes {@code {}}. */
  public static final String EMPTY_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  public static final byte[] EMPTY_CONTENT = "{}".getBytes(StandardCharsets.UTF_8);

  public ArtifactManifest {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException("unsupported manifest schemaVersion " + schemaVersion);
    }
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** An artifact of {@code artifactType} holding {@code blob}, about {@code subject}. */
  public static ArtifactManifest of(String artifactType, Descriptor blob, Descriptor subject,
      Map<String, String> annotations) {
    Descriptor empty = new Descriptor(EMPTY_MEDIA_TYPE, Digest.sha256(EMPTY_CONTENT), EMPTY_CONTENT.length);
    Descriptor plainSubject = new Descriptor(subject.mediaType(), subject.digest(), subject.size());
    return new ArtifactManifest(2, MediaTypes.OCI_MANIFEST, Objects.requireNonNull(artifactType), empty,
        List.of(blob), plainSubject, annotations);
  }

  public byte[] toJson() {
    return Json.canonical(this);
  }

  public static ArtifactManifest parse(byte[] json) {
    return Json.read(json, ArtifactManifest.class);
  }
}
