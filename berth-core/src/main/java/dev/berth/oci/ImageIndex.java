package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An image index (OCI) or manifest list (Docker): one manifest per platform. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageIndex(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("manifests") List<Descriptor> manifests,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public ImageIndex {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException("unsupported index schemaVersion " + schemaVersion);
    }
    manifests = manifests == null ? List.of() : List.copyOf(manifests);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ImageIndex oci(List<Descriptor> manifests) {
    return new ImageIndex(2, MediaTypes.OCI_INDEX, manifests, Map.of());
  }

  /** The manifest serving {@code platform}, if the index has one. */
  public Optional<Descriptor> manifestFor(Platform platform) {
    return manifests.stream()
        .filter(d -> d.platform() != null && platform.matches(d.platform()))
        .findFirst();
  }

  public byte[] toJson() {
    return Json.canonical(this);
  }

  public static ImageIndex parse(byte[] json) {
    return Json.read(json, ImageIndex.class);
  }
}
