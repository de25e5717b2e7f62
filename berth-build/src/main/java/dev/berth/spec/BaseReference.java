package dev.berth.spec;

import dev.berth.oci.ImageReference;
import java.util.Optional;

/**
 * What a {@code base:} or {@code FROM} may name: {@code scratch}, {@code oci:DIR[:TAG]},
 * {@code docker-archive:FILE[:REPO:TAG]}, or an image reference (an image of the tree, one in the
 * store, or one in a registry). Checked when the file is read, so the error can name its line.
 */
public final class BaseReference {
  private BaseReference() {}

  /**
   * Whether {@code base} may name an image of the tree: it is bare (no host, tag or digest). It does
   * when the tree has an image of that name; otherwise it is a Docker reference.
   */
  public static boolean namesTreeImage(String base) {
    return !base.equals("scratch") && !base.contains(":") && !base.contains("@");
  }

  /** The names in {@code spec} that may be images of the tree: its base and every image a step reads. */
  public static java.util.Set<String> treeImageCandidates(ImageSpec spec) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    if (namesTreeImage(spec.base())) {
      out.add(spec.base());
    }
    for (StepSpec step : spec.steps()) {
      for (String image : step.sourceImages()) {
        if (namesTreeImage(image)) {
          out.add(image);
        }
      }
    }
    return out;
  }

  /** Why {@code base} cannot name an image, if it cannot. */
  public static Optional<String> problem(String base) {
    if (base.equals("scratch")) {
      return Optional.empty();
    }
    if (base.startsWith("oci:") || base.startsWith("docker-archive:")) {
      String rest = base.substring(base.indexOf(':') + 1);
      return rest.isEmpty() || rest.startsWith(":")
          ? Optional.of("invalid base '" + base + "': " + base.substring(0, base.indexOf(':') + 1)
              + (base.startsWith("oci:") ? "DIR[:TAG]" : "FILE[:REPO:TAG]"))
          : Optional.empty();
    }
    try {
      ImageReference.parse(base);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }
}
