package dev.berth.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every input of an image's content key, each with its digest or value ({@code berth explain}): the
 * build format, the base (manifest digest, or the tree parent's key), the spec, the version, the
 * images it copies from, the settings that change bytes, and each input file.
 */
public record KeyInputs(@JsonProperty("name") String name, @JsonProperty("key") String key,
    @JsonProperty("inputs") List<Input> inputs) {

  /** One input: what kind, which one, and its digest (or value, for settings and the version). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Input(@JsonProperty("kind") String kind, @JsonProperty("name") String name,
      @JsonProperty("digest") String digest) {}

  public static KeyInputs of(PreparedImage prepared, BuildSettings settings) {
    List<Input> out = new ArrayList<>();
    out.add(new Input("format", "berth build format", String.valueOf(ContentKey.BUILD_FORMAT)));
    out.add(new Input("base", prepared.spec().base(), prepared.base().shown()));
    out.add(new Input("spec", prepared.spec().name(), ContentKey.specDigest(prepared.spec())));
    if (prepared.version() != null) {
      out.add(new Input("version", prepared.spec().name(), prepared.version()));
    }
    prepared.sources().forEach((image, key) -> out.add(new Input("copiesFrom", image, key.digest().toString())));
    for (Map.Entry<String, Object> field : settings.keyFields().entrySet()) {
      out.add(new Input("setting", field.getKey(), String.valueOf(field.getValue())));
    }
    for (InputFile file : prepared.inputs().values()) {
      String what = switch (file.kind()) {
        case FILE -> file.digest().toString();
        case SYMLINK -> "-> " + file.linkTarget();
        case DIRECTORY -> "directory " + Integer.toOctalString(file.mode());
      };
      out.add(new Input(file.kind().name().toLowerCase(java.util.Locale.ROOT), file.path(), what));
    }
    return new KeyInputs(prepared.spec().name(), prepared.key().digest().toString(), out);
  }
}
