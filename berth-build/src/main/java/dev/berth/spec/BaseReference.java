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
