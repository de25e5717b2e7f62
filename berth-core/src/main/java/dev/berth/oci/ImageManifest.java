package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** An image manifest (OCI, or Docker v2 schema 2: the same shape under other media types). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ImageManifest(
    @JsonProperty("schemaVersion") int schemaVersion,
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("config") Descriptor config,
    @JsonProperty("layers") List<Descriptor> layers,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public ImageManifest {
    if (schemaVersion != 2) {
      throw new IllegalArgumentException("unsupported manifest schemaVersion " + schemaVersion);
    }
    Objects.requireNonNull(config, "manifest has no config");
    layers = layers == null ? List.of() : List.copyOf(layers);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public static ImageManifest oci(Descriptor config, List<Descriptor> layers) {
    return new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, layers, Map.of());
  }

  /** The media type, falling back to OCI's when the document leaves it out (allowed by the spec). */
  public String effectiveMediaType() {
    return mediaType == null ? MediaTypes.OCI_MANIFEST : mediaType;
  }

  public byte[] toJson() {
    return Json.canonical(this);
  }

  public static ImageManifest parse(byte[] json) {
    return Json.read(json, ImageManifest.class);
  }
}
