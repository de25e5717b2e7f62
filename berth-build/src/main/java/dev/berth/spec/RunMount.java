package dev.berth.spec;

import java.util.Map;

/** A mount of one {@link StepSpec.Run} step only (a Dockerfile's {@code RUN --mount=type=bind|tmpfs}); never in a layer. */
public sealed interface RunMount {
  /** The mount as its step's key records it. */
  Map<String, Object> keyDocument();

  /** The image whose files the mount shows, if it shows one's. */
  default java.util.Optional<String> sourceImage() {
    return java.util.Optional.empty();
  }

  /** What {@code visitor} does with this kind of mount. */
  <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

  /** What to do with each kind of mount, one method per kind; {@code X}: what the methods may throw. */
  interface Visitor<R, X extends Exception> {
    R bind(Bind mount) throws X;

    R imageBind(ImageBind mount) throws X;

    R ssh(Ssh mount) throws X;

    R tmpfs(Tmpfs mount) throws X;
  }

  /** Files of the folder ({@code source}, relative to it) at {@code target}; writes are thrown away when {@code readWrite}. */
  record Bind(String source, String target, boolean readWrite) implements RunMount {
    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.bind(this);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return Map.of("bind", source, "target", target, "rw", readWrite);
    }
  }

  /**
   * Files of another image ({@code from=}: a stage of the same Dockerfile, named as {@link StepSpec.CopyFrom}
   * names it, or a reference) under {@code source} (absolute) at {@code target}; writes are thrown
   * away when {@code readWrite}.
   */
  record ImageBind(String image, String source, String target, boolean readWrite) implements RunMount {
    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.imageBind(this);
    }

    public ImageBind {
      if (image == null || image.isBlank() || source == null || !source.startsWith("/")) {
        throw new IllegalArgumentException("a bind mount from an image needs the image and an absolute source");
      }
    }

    @Override
    public java.util.Optional<String> sourceImage() {
      return java.util.Optional.of(image);
    }

    /** Keyed by the image's name here; the image's digest keys the step besides (see ImageBuilder). */
    @Override
    public Map<String, Object> keyDocument() {
      return Map.of("bindFrom", image, "source", source, "target", target, "rw", readWrite);
    }
  }

  /**
   * The SSH agent {@code id} ({@code --ssh ID=SOCKET}) at {@code target}, the agent's socket
   * {@code socket} on the host: never in a layer, and keyed by id and target only.
   */
  record Ssh(String id, String target, java.nio.file.Path socket) implements RunMount {
    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.ssh(this);
    }

    /** The host's socket is no input: only which agent, where. */
    @Override
    public Map<String, Object> keyDocument() {
      return Map.of("ssh", id, "target", target);
    }
  }

  /** An empty tmpfs at {@code target}, at most {@code size} bytes (0: the kernel's default). */
  record Tmpfs(String target, long size) implements RunMount {
    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.tmpfs(this);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return Map.of("tmpfs", target, "size", size);
    }
  }
}
