package dev.berth.oci;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A reference to an image by name: {@code [registry/]repository[:tag][@digest]}.
 *
 * <p>{@link #parse} keeps a name without a registry part as written (it names an image in the local
 * store, or a registry given elsewhere, such as berth.yaml's {@code registry}); {@link #parseDocker}
 * normalises it as docker does, to Docker Hub.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
  private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern REGISTRY = Pattern.compile(
      "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
          + "|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
  public static final String DEFAULT_TAG = "latest";
  /** Docker Hub's name in references, and the host its API answers on. */
  public static final String DOCKER_HUB = "docker.io";
  public static final String DOCKER_HUB_API = "registry-1.docker.io";
  private static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

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

  /**
   * {@code text} as docker reads it: a first component holding '.' or ':', {@code localhost} or an
   * uppercase letter is a registry host; otherwise the registry is Docker Hub, where a one-component
   * name is under {@code library/}; {@code index.docker.io} is Docker Hub; a reference with neither
   * tag nor digest means {@code :latest}.
   */
  public static ImageReference parseDocker(String text) {
    Objects.requireNonNull(text, "reference");
    String rest = text.trim();
    if (IMAGE_ID.matcher(rest).matches()) {
      throw new IllegalArgumentException("invalid image reference '" + text
          + "': a 64-character hexadecimal string is an image ID, not a name");
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      if (first.equals("index.docker.io")) {
        rest = rest.substring(slash + 1);
      } else if (first.equals("localhost") || first.contains(".") || first.contains(":")
          || !first.toLowerCase(java.util.Locale.ROOT).equals(first)) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (registry.equals(DOCKER_HUB) && rest.indexOf('/') < 0) {
      rest = "library/" + rest;
    }
    ImageReference parsed;
    try {
      Digest digest = null;
      int at = rest.indexOf('@');
      if (at >= 0) {
        digest = Digest.parse(rest.substring(at + 1));
        rest = rest.substring(0, at);
      }
      int colon = rest.lastIndexOf(':');
      String tag = colon < 0 ? null : rest.substring(colon + 1);
      parsed = new ImageReference(registry, colon < 0 ? rest : rest.substring(0, colon), tag, digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid image reference '" + text + "': " + e.getMessage());
    }
    return parsed.tag() == null && parsed.digest() == null ? parsed.withTag(DEFAULT_TAG) : parsed;
  }

  /** Whether this names Docker Hub (after {@link #parseDocker}). */
  public boolean isDockerHub() {
    return DOCKER_HUB.equals(registry);
  }

  /**
   * The short name docker shows and stores local images under: Docker Hub's host and {@code library/}
   * dropped ({@code busybox:latest}); other registries keep their host.
   */
  public String familiarName() {
    String name = repository;
    if (isDockerHub() && name.startsWith("library/") && name.indexOf('/', "library/".length()) < 0) {
      name = name.substring("library/".length());
    }
    String host = registry == null || isDockerHub() ? "" : registry + "/";
    return host + name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
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
