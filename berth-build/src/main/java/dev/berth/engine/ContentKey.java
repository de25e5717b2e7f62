package dev.berth.engine;

import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content key of an image: a sha256 over everything that goes into it (the canonical spec, each
 * input file's path, mode and content digest, the base's manifest digest or key, and berth's build
 * format). Equal keys mean equal images, so the key is the image's tag.
 */
public record ContentKey(Digest digest) {
  /** Bumped whenever berth would build different bytes from the same inputs. */
  public static final int BUILD_FORMAT = 2;
  /** How many hex digits of the key its tag carries (96 bits). */
  public static final int TAG_LENGTH = 24;

  public static ContentKey compute(Map<String, Object> spec, List<InputFile> inputs, PlannedBase base,
      BuildSettings settings) {
    Map<String, Object> document = new TreeMap<>();
    document.put("format", BUILD_FORMAT);
    document.put("spec", spec);
    document.put("inputs", inputs);
    document.put("base", base.recorded());
    document.put("settings", settings.keyFields());
    return new ContentKey(Digest.sha256(Json.canonical(document)));
  }

  /** The digest of a spec's canonical form alone, so a journal can tell a spec change from an input change. */
  public static String specDigest(dev.berth.spec.ImageSpec spec) {
    return Digest.sha256(Json.canonical(StepJson.spec(spec))).toString();
  }

  /** The tag that names an image built with this key. */
  public String tag() {
    return digest.hex().substring(0, TAG_LENGTH);
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
