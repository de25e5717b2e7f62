package dev.berth.spec;

import java.util.List;
import java.util.Map;

/** One build step as a spec states it, before files are read or commands run. */
public sealed interface StepSpec {
  /**
   * The images (of the tree, stages, or references) whose files this step reads: {@code COPY --from}'s,
   * and a RUN's {@code --mount=from=}'s. Each is built or resolved first, and its digest keys the step.
   */
  default List<String> sourceImages() {
    return List.of();
  }

  /** Whether the step runs commands in the image (apt, pip, requirements, run): for a foreign platform, under emulation. */
  default boolean runsCommands() {
    return false;
  }

  /** {@code apt: [...]}: packages installed with apt-get, lists and caches removed in the same step. */
  record Apt(List<String> packages) implements StepSpec {
    public Apt {
      packages = List.copyOf(packages);
    }

    @Override
    public boolean runsCommands() {
      return true;
    }
  }

  /** {@code pip: [...]}: packages installed with {@code python3 -m pip}. */
  record Pip(List<String> packages) implements StepSpec {
    public Pip {
      packages = List.copyOf(packages);
    }

    @Override
    public boolean runsCommands() {
      return true;
    }
  }

  /** {@code requirements: FILE}: a pip requirements file of the image folder. */
  record Requirements(String file) implements StepSpec {
    @Override
    public boolean runsCommands() {
      return true;
    }
  }

  /**
   * {@code run:} one command. {@code network}: the step's own network (a Dockerfile's
   * {@code RUN --network}), or null for the image's.
   */
  record Run(Command command, ImageSpec.Network network, List<Mount> mounts) implements StepSpec {
    public Run {
      mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    public Run(Command command) {
      this(command, null, List.of());
    }

    @Override
    public boolean runsCommands() {
      return true;
    }

    @Override
    public List<String> sourceImages() {
      return mounts.stream().filter(Mount.ImageBind.class::isInstance)
          .map(mount -> ((Mount.ImageBind) mount).image()).distinct().toList();
    }

    public Run(Command command, ImageSpec.Network network) {
      this(command, network, List.of());
    }
  }

  /** A mount of one {@link Run} step only (a Dockerfile's {@code RUN --mount=type=bind|tmpfs}); never in a layer. */
  sealed interface Mount {
    /** Files of the folder ({@code source}, relative to it) at {@code target}; writes are thrown away when {@code readWrite}. */
    record Bind(String source, String target, boolean readWrite) implements Mount {}

    /**
     * Files of another image ({@code from=}: a stage of the same Dockerfile, named as {@link CopyFrom}
     * names it, or a reference) under {@code source} (absolute) at {@code target}; writes are thrown
     * away when {@code readWrite}.
     */
    record ImageBind(String image, String source, String target, boolean readWrite) implements Mount {
      public ImageBind {
        if (image == null || image.isBlank() || source == null || !source.startsWith("/")) {
          throw new IllegalArgumentException("a bind mount from an image needs the image and an absolute source");
        }
      }
    }

    /**
     * The SSH agent {@code id} ({@code --ssh ID=SOCKET}) at {@code target}, the agent's socket
     * {@code socket} on the host: never in a layer, and keyed by id and target only.
     */
    record Ssh(String id, String target, java.nio.file.Path socket) implements Mount {}

    /** An empty tmpfs at {@code target}, at most {@code size} bytes (0: the kernel's default). */
    record Tmpfs(String target, long size) implements Mount {}
  }

  /** {@code layers:} a directory or .zip merged under {@code dest} (default /opt), one layer each. */
  record Layer(String src, String dest) implements StepSpec {}

  /**
   * {@code copy:} files of the image folder into the image. {@code excludes}: patterns (as
   * {@code .dockerignore}'s) of paths under {@code src} that are left out (a Dockerfile's
   * {@code --exclude}); a file source is matched by its name.
   */
  record Copy(String src, String dest, String owner, String mode, List<String> excludes) implements StepSpec {
    public Copy {
      excludes = excludes == null ? List.of() : List.copyOf(excludes);
    }

    public Copy(String src, String dest, String owner, String mode) {
      this(src, dest, owner, mode, List.of());
    }
  }

  /** {@code env:} inside {@code steps:}, visible to the steps after it and in the image. */
  record Env(Map<String, String> variables) implements StepSpec {
    public Env {
      variables = Map.copyOf(variables);
    }
  }

  /**
   * Variables set only where the image so far lacks them: a Dockerfile's FROM gives PATH its default
   * this way, as Docker's builders do.
   */
  record DefaultEnv(Map<String, String> variables) implements StepSpec {
    public DefaultEnv {
      variables = Map.copyOf(variables);
    }
  }

  /** {@code workdir:} inside {@code steps:}. */
  record Workdir(String path) implements StepSpec {}

  /** {@code user:} inside {@code steps:}. */
  record User(String user) implements StepSpec {}

  /**
   * Dockerfile {@code COPY --from=IMAGE}: {@code src} (an absolute path, may hold * ? [] wildcards)
   * out of another image's file system, with COPY's destination rules. {@code image} is an image of
   * the tree (a stage of the same Dockerfile, named {@code IMAGE--STAGE}) or a reference.
   * {@code excludes}: {@code --exclude} patterns, as {@link Copy}'s; {@code parents}: {@code --parents},
   * each match keeping its path (after a {@code /./} pivot written in {@code src}) under {@code dest}.
   */
  record CopyFrom(String image, String src, String dest, String owner, String mode, List<String> excludes,
      boolean parents) implements StepSpec {
    public CopyFrom {
      if (image == null || image.isBlank() || src == null || !src.startsWith("/") || dest == null || dest.isEmpty()) {
        throw new IllegalArgumentException("COPY --from needs an image, an absolute source and a destination");
      }
      excludes = excludes == null ? List.of() : List.copyOf(excludes);
    }

    public CopyFrom(String image, String src, String dest, String owner, String mode) {
      this(image, src, dest, owner, mode, List.of(), false);
    }

    /** The same copy into {@code resolvedDest}. */
    public CopyFrom withDest(String resolvedDest) {
      return new CopyFrom(image, src, resolvedDest, owner, mode, excludes, parents);
    }

    @Override
    public List<String> sourceImages() {
      return List.of(image);
    }
  }

  /**
   * Dockerfile {@code ADD} of a local tar archive (plain, gzip, bzip2 or xz, told by content): extracted under
   * {@code dest}, entries keeping their owners unless {@code owner} ({@code --chown}) is given.
   */
  record AddArchive(String src, String dest, String owner) implements StepSpec {
    public AddArchive(String src, String dest) {
      this(src, dest, null);
    }
  }

  /** Dockerfile {@code SHELL}: the command that runs shell-form commands of later steps (Docker's config {@code Shell}). */
  record Shell(List<String> shell) implements StepSpec {
    public Shell {
      if (shell == null || shell.isEmpty()) {
        throw new IllegalArgumentException("SHELL needs at least one argument");
      }
      shell = List.copyOf(shell);
    }
  }

  /**
   * Dockerfile {@code ARG} values in force: environment of later run steps of this image (an
   * {@link Env} of the same name wins), never written to the image's configuration.
   */
  record BuildArgs(Map<String, String> variables) implements StepSpec {
    public BuildArgs {
      variables = Map.copyOf(variables);
    }
  }

  /**
   * Dockerfile COPY or ADD of content that is not a file of the context: a here-document
   * ({@code COPY <<EOF /file}) or, for ADD, an HTTP(S) URL. Written as a context file would be, with
   * COPY's destination rules, {@code --chown} and {@code --chmod}; a here-document is a 0644 file
   * named after its word, a download a 0600 file named after the URL (never extracted).
   */
  record CopyContent(Content content, String dest, String owner, String mode) implements StepSpec {
    public CopyContent {
      if (content == null || dest == null || dest.isEmpty()) {
        throw new IllegalArgumentException("a copy of content needs the content and a destination");
      }
    }

    /** The same copy, of the file {@code name} made from the content. */
    public Copy asCopy(String name) {
      return new Copy(name, dest, owner, mode);
    }
  }

  /** What a {@link CopyContent} writes. */
  sealed interface Content {
    /** Text of a here-document, already expanded as its Dockerfile says, under the file name {@code name}. */
    record Text(String name, String data) implements Content {}

    /**
     * An HTTP(S) download; {@code checksum} ({@code sha256:HEX}, or null) is what its content must
     * hash to.
     */
    record Url(String url, String checksum) implements Content {}

    /**
     * A git repository's tree at {@code ref} (null: the remote's HEAD), or its folder {@code subdir}
     * (null: all), without {@code .git}: {@code ADD https://host/repo.git#ref:subdir DIR}.
     */
    record Git(String url, String ref, String subdir) implements Content {}
  }
}
