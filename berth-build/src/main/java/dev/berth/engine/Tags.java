package dev.berth.engine;

import dev.berth.oci.ImageReference;
import dev.berth.spec.ImageSpec;
import java.util.LinkedHashSet;
import java.util.List;

/** Expands an image's tag templates: {@code {key}}, {@code {version}} and {@code {name}}. */
public final class Tags {
  private Tags() {}

  public static List<String> expand(ImageSpec spec, ContentKey key, String version) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String template : spec.tags()) {
      if (template.contains("{version}") && version == null) {
        throw new BuildException(spec.file() + ": tag '" + template
            + "' uses {version}, but the image has no changelog to take a version from");
      }
      String tag = template.replace("{key}", key.tag()).replace("{name}", spec.name().replace('/', '-'))
          .replace("{version}", version == null ? "" : version);
      if (template.contains("{version}") && !ImageReference.isValidTag(version)) {
        throw new BuildException(spec.folder().resolve("changelog") + ": version '" + version
            + "' is not a valid tag (letters, digits, _ . - only)");
      }
      if (!ImageReference.isValidTag(tag)) {
        throw new BuildException(spec.file() + ": tag '" + template + "' expands to '" + tag
            + "', which is not a valid tag");
      }
      out.add(tag);
    }
    return List.copyOf(out);
  }
}
