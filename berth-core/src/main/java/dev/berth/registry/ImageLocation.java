package dev.berth.registry;

import dev.berth.oci.ImageReference;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an image is, in skopeo's transport syntax: {@code docker://host[:port]/repo:tag}, a plain
 * {@code host/repo:tag} (it has a registry part), {@code oci:DIR[:TAG]}, {@code docker-archive:FILE},
 * {@code docker-daemon:NAME:TAG},
 * or a bare {@code NAME:TAG} naming an image in the local berth store.
 */
public sealed interface ImageLocation {
  /** An image in a registry. */
  record RegistryLocation(ImageReference reference) implements ImageLocation {
    public RegistryLocation {
      Objects.requireNonNull(reference.registry(), "a registry location needs a host");
    }

    @Override
    public String toString() {
      return "docker://" + reference;
    }
  }

  /** An image in an OCI layout directory, named by its {@code org.opencontainers.image.ref.name}. */
  record OciLayoutLocation(Path directory, String refName) implements ImageLocation {
    public OciLayoutLocation {
      Objects.requireNonNull(directory);
      if (refName == null || refName.isEmpty()) {
        throw new IllegalArgumentException("an OCI layout location needs a reference name");
      }
    }

    @Override
    public String toString() {
      return "oci:" + directory + ":" + refName;
    }
  }

  /** An image in a {@code docker save} tarball. */
  record DockerArchiveLocation(Path file) implements ImageLocation {
    public DockerArchiveLocation {
      Objects.requireNonNull(file);
    }

    @Override
    public String toString() {
      return "docker-archive:" + file;
    }
  }

  /** An image of the Docker engine ({@code docker-daemon:NAME:TAG}), reached through its socket. */
  record DockerDaemonLocation(String name) implements ImageLocation {
    public DockerDaemonLocation {
      Objects.requireNonNull(name);
    }

    @Override
    public String toString() {
      return "docker-daemon:" + name;
    }
  }

  /** An image in the local berth store, named {@code repository:tag}. */
  record StoreLocation(ImageReference reference) implements ImageLocation {
    @Override
    public String toString() {
      return reference.localName();
    }
  }

  static ImageLocation parse(String text) {
    return parse(text, "image location");
  }

  /**
   * As {@link #parse(String)}; errors say {@code invalid WHAT 'TEXT': …}, {@code what} naming the
   * option or argument the text came from (e.g. {@code --output}).
   */
  static ImageLocation parse(String text, String what) {
    Objects.requireNonNull(text, what);
    String trimmed = text.trim();
    if (trimmed.startsWith("docker://")) {
      ImageReference reference = ImageReference.parse(trimmed.substring("docker://".length()));
      if (reference.registry() == null) {
        throw new IllegalArgumentException("invalid " + what + " '" + text
            + "': docker:// needs a registry host, as in docker://HOST[:PORT]/REPO:TAG");
      }
      return new RegistryLocation(reference);
    }
    if (trimmed.startsWith("oci:")) {
      return parseOciLayout(text, trimmed.substring("oci:".length()), what);
    }
    if (trimmed.startsWith("docker-archive:")) {
      String file = trimmed.substring("docker-archive:".length());
      if (file.isEmpty()) {
        throw new IllegalArgumentException("invalid " + what + " '" + text + "': docker-archive: needs a FILE");
      }
      return new DockerArchiveLocation(Path.of(file));
    }
    if (trimmed.startsWith("docker-daemon:")) {
      String name = trimmed.substring("docker-daemon:".length());
      ImageReference reference;
      try {
        reference = name.isEmpty() ? null : ImageReference.parse(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid " + what + " '" + text + "': " + e.getMessage());
      }
      if (reference == null || reference.tag() == null || reference.digest() != null) {
        throw new IllegalArgumentException("invalid " + what + " '" + text + "': docker-daemon: needs NAME:TAG");
      }
      return new DockerDaemonLocation(name);
    }
    int colon = trimmed.indexOf(':');
    int slash = trimmed.indexOf('/');
    if (colon > 0 && (slash < 0 || colon < slash) && trimmed.substring(0, colon).matches("[a-z-]+")
        && trimmed.startsWith(trimmed.substring(0, colon) + "://")) {
      throw new IllegalArgumentException("invalid " + what + " '" + text + "': unknown transport '"
          + trimmed.substring(0, colon) + "' (docker://, oci:, docker-archive:, docker-daemon:)");
    }
    ImageReference reference = ImageReference.parse(trimmed);
    return reference.registry() != null ? new RegistryLocation(reference) : new StoreLocation(reference);
  }

  private static OciLayoutLocation parseOciLayout(String original, String rest, String what) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("invalid " + what + " '" + original + "': oci: needs a DIR");
    }
    int colon = rest.lastIndexOf(':');
    if (colon > 0 && rest.indexOf('/', colon) < 0) {
      String refName = rest.substring(colon + 1);
      if (refName.isEmpty()) {
        throw new IllegalArgumentException("invalid " + what + " '" + original + "': empty tag after ':'");
      }
      return new OciLayoutLocation(Path.of(rest.substring(0, colon)), refName);
    }
    return new OciLayoutLocation(Path.of(rest), ImageReference.DEFAULT_TAG);
  }
}
