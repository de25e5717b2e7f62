package dev.berth.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Digest;
import java.nio.file.Path;

/**
 * A file, directory or symlink of an image folder that goes into the image, as the content key sees
 * it: path relative to the folder, kind, permission bits, and content digest or link target.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InputFile(
    @JsonProperty("path") String path,
    @JsonProperty("kind") Kind kind,
    @JsonProperty("mode") int mode,
    @JsonProperty("digest") Digest digest,
    @JsonProperty("target") String linkTarget,
    Path source) {

  public enum Kind { FILE, DIRECTORY, SYMLINK }

  @com.fasterxml.jackson.annotation.JsonIgnore
  @Override
  public Path source() {
    return source;
  }
}
