package dev.berth.oci;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to an image by name: {@code [registry/]repository[:tag][@digest]}.
 *
 * <p>Unlike docker, a name without a registry part is not sent to Docker Hub: it names an image in
 * the local store (or a registry given elsewhere, such as berth.yaml's {@code registry}).
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
          + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
  public static final String DEFAULT_TAG = "latest";

  public ImageReference {
    if (registry != null && !REGISTRY.matcher(registry).matches()) {
      throw new IllegalArgumentException("invalid registry host '" + registry + "'");
    }
    if (registry != null && registry.matches(".*:[0-9]+") && Integer.parseInt(registry.substring(registry.lastIndexOf(':') + 1)) > 65535) {
      throw new IllegalArgumentException("invalid registry host '" + registry + "': the port is above 65535");
    }
    if (repository == null || !REPOSITORY.matcher(repository).matches() || repository.length() > 255) {
      throw new IllegalArgumentException("invalid repository name '" + repository
          + "': lowercase letters, digits and . _ - separators, components joined by /");
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException("invalid tag '" + tag
          + "': up to 128 letters, digits, _ . -, not starting with . or -");
    }
  }

  public static ImageReference parse(String text) {
    Objects.requireNonNull(text, "reference");
    String rest = text.trim();
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("empty image reference");
    }
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    try {
      return new ImageReference(registry, rest, tag, digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid image reference '" + text + "': " + e.getMessage());
    }
  }

  public static boolean isValidTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  public static boolean isValidRepository(String repository) {
    return repository != null && REPOSITORY.matcher(repository).matches();
  }

  /** The tag, or {@code latest} when neither a tag nor a digest was given. */
  public String tagOrDefault() {
    return tag != null ? tag : DEFAULT_TAG;
  }

  /** What the registry's manifest endpoint is asked for: the digest when pinned, else the tag. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tagOrDefault();
  }

  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  public ImageReference withDigest(Digest newDigest) {
    return new ImageReference(registry, repository, tag, newDigest);
  }

  public ImageReference withRegistry(String newRegistry) {
    return new ImageReference(newRegistry, repository, tag, digest);
  }

  /** {@code repository:tag} without the registry, as the store names its images. */
  public String localName() {
    return repository + ":" + tagOrDefault();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (registry != null) {
      out.append(registry).append('/');
    }
    out.append(repository);
    if (tag != null) {
      out.append(':').append(tag);
    }
    if (digest != null) {
      out.append('@').append(digest);
    }
    return out.toString();
  }
}
