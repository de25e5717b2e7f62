package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/** One entry of a referrers index: an artifact manifest that names a subject, with its artifact type. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Referrer(
    @JsonProperty("mediaType") String mediaType,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("size") long size,
    @JsonProperty("artifactType") String artifactType,
    @JsonProperty("annotations") Map<String, String> annotations) {

  public Referrer {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, size);
  }
}
