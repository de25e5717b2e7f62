package dev.berth.dockerfile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bases a docker-pkg Dockerfile names: a full reference of a tree image at its changelog version
 * is that image; any other reference is used as Docker reads it, an untagged one meaning {@code :latest}.
 */
final class DockerPkgBases implements DockerfileFrontend.Bases {
  private final Map<String, String> namesByReference;
  private final Function<String, Optional<Map<String, String>>> treeEnvironment;
  private final DockerfileFrontend.Bases external;
  private final List<String> warnings;

  /**
   * @param namesByReference {@code registry/namespace/name:version} → name, for every tree image
   * @param treeEnvironment the final environment of a tree image, once known
   */
  DockerPkgBases(Map<String, String> namesByReference,
      Function<String, Optional<Map<String, String>>> treeEnvironment, DockerfileFrontend.Bases external,
      List<String> warnings) {
    this.namesByReference = namesByReference;
    this.treeEnvironment = treeEnvironment;
    this.external = external;
    this.warnings = warnings;
  }

  @Override
  public Optional<String> treeImage(String reference) {
    String name = namesByReference.get(reference);
    if (name != null) {
      return Optional.of(name);
    }
    for (Map.Entry<String, String> entry : namesByReference.entrySet()) {
      String repository = entry.getKey().substring(0, entry.getKey().lastIndexOf(':'));
      if (reference.startsWith(repository) && (reference.length() == repository.length()
          || reference.charAt(repository.length()) == ':')) {
        String warning = "'" + reference + "' names tree image '" + entry.getValue() + "' at another tag than its"
            + " changelog's (" + entry.getKey() + "); it is used from the store or registry, not built first"
            + " (use image_tag)";
        if (!warnings.contains(warning)) {
          warnings.add(warning);
        }
      }
    }
    // not a tree image: a reference as Docker reads it, so an untagged one is never taken for a tree name
    return Optional.of(tagged(reference));
  }

  @Override
  public Optional<Map<String, String>> environment(String base) {
    return namesByReference.containsValue(base) ? treeEnvironment.apply(base) : external.environment(base);
  }

  /** {@code reference} with {@code :latest} when it has neither tag nor digest. */
  static String tagged(String reference) {
    boolean tagged = reference.lastIndexOf(':') > reference.lastIndexOf('/') || reference.contains("@");
    return tagged ? reference : reference + ":latest";
  }
}
