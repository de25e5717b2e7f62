package dev.berth.spec;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One build step as a spec states it, before files are read or commands run. Each kind says what
 * its content key records ({@link #keyDocument()}), which file of the folder it reads
 * ({@link #contextSource()}) and which images ({@link #sourceImages()}); the steps that run a command
 * in the image are {@link CommandStep}s.
 */
public sealed interface StepSpec {
  /**
   * The step's canonical form, as content keys and step keys hash it: one entry, the step's kind
   * and its fields. What the step reads from files and images is keyed by their digests besides.
   */
  Map<String, Object> keyDocument();

  /** What {@code visitor} does with this kind of step. */
  <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X;

  /**
   * The images (of the tree, stages, or references) whose files this step reads: {@code COPY --from}'s,
   * and a RUN's {@code --mount=from=}'s. Each is built or resolved first, and its digest keys the step.
   */
  default List<String> sourceImages() {
    return List.of();
  }

  /** The step's own mounts while it runs (a {@link Run}'s {@code --mount}s); none for other kinds. */
  default List<RunMount> mounts() {
    return List.of();
  }

  /** The step's own network (a {@link Run}'s {@code --network}), or null: the image's. */
  default ImageSpec.Network network() {
    return null;
  }

  /** Whether the step reads content from the network on every plan (ADD of a URL or a git ref). */
  default boolean fetchesContent() {
    return false;
  }

  /** The file or directory of the image folder the step reads, and the spec field that names it. */
  default Optional<ContextSource> contextSource() {
    return Optional.empty();
  }

  /** A path of the image folder that a step reads, and the field ({@code copy.src}…) that names it, for errors. */
  record ContextSource(String path, String field) {}

  /** Whether the step runs commands in the image (apt, pip, requirements, run): for a foreign platform, under emulation. */
  default boolean runsCommands() {
    return false;
  }

  /** Variables the step's command needs besides the image's environment (none for a step that runs nothing). */
  default Map<String, String> extraEnvironment() {
    return Map.of();
  }

  /** Whether the step installs packages (and so always gets the host's network, as root). */
  default boolean installsPackages() {
    return false;
  }

  /**
   * A step that runs a command inside the image (apt, pip, requirements, run), the same for every
   * builder: apt and pip clean up after themselves in the same step, so lists and caches never reach
   * a layer, unless a build-time cache mount keeps them out of the image anyway.
   */
  sealed interface CommandStep extends StepSpec {
    /** Where a requirements step finds its file inside the image while it runs. */
    String REQUIREMENTS_PATH = "/run/berth/requirements.txt";

    @Override
    default boolean runsCommands() {
      return true;
    }

    /**
     * The command's argv.
     *
     * @param shell what runs shell-form commands
     * @param caches build-time cache mounts of the image (paths inside it)
     */
    List<String> argv(List<String> shell, List<String> caches);
  }

  /** A step that installs packages: it runs as root with the host's network, whatever the image says. */
  sealed interface PackageStep extends CommandStep {
    @Override
    default boolean installsPackages() {
      return true;
    }
  }

  /** {@code apt: [...]}: packages installed with apt-get, lists and caches removed in the same step. */
  record Apt(List<String> packages) implements PackageStep {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.apt(this); }

    public Apt {
      packages = List.copyOf(packages);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("apt", packages);
    }

    @Override
    public List<String> argv(List<String> shell, List<String> caches) {
      return StepForms.aptInstall(caches, packages);
    }

    @Override
    public Map<String, String> extraEnvironment() {
      return Map.of("DEBIAN_FRONTEND", "noninteractive");
    }
  }

  /** {@code pip: [...]}: packages installed with {@code python3 -m pip}. */
  record Pip(List<String> packages) implements PackageStep {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.pip(this); }

    public Pip {
      packages = List.copyOf(packages);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("pip", packages);
    }

    @Override
    public List<String> argv(List<String> shell, List<String> caches) {
      return StepForms.pipInstall(caches, packages);
    }

    @Override
    public Map<String, String> extraEnvironment() {
      return Map.of("PIP_BREAK_SYSTEM_PACKAGES", "1");
    }
  }

  /** {@code requirements: FILE}: a pip requirements file of the image folder, at {@link #REQUIREMENTS_PATH} while it runs. */
  record Requirements(String file) implements PackageStep {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.requirements(this); }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("requirements", file);
    }

    @Override
    public Optional<ContextSource> contextSource() {
      return Optional.of(new ContextSource(file, "requirements"));
    }

    @Override
    public List<String> argv(List<String> shell, List<String> caches) {
      return StepForms.pipInstall(caches, List.of("-r", REQUIREMENTS_PATH));
    }

    @Override
    public Map<String, String> extraEnvironment() {
      return Map.of("PIP_BREAK_SYSTEM_PACKAGES", "1");
    }
  }

  /**
   * {@code run:} one command. {@code network}: the step's own network (a Dockerfile's
   * {@code RUN --network}), or null for the image's.
   */
  record Run(Command command, ImageSpec.Network network, List<RunMount> mounts) implements CommandStep {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.run(this); }

    public Run {
      mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    @Override
    public Map<String, Object> keyDocument() {
      Map<String, Object> out = StepForms.keyed("run", command.keyForm());
      if (network != null) {
        out.put("runNetwork", network.name());
      }
      if (!mounts.isEmpty()) {  // what a bind shows is keyed as the step's input files
        out.put("runMounts", mounts.stream().map(RunMount::keyDocument).toList());
      }
      return out;
    }

    @Override
    public List<String> argv(List<String> shell, List<String> caches) {
      return command.argv(shell);
    }

    public Run(Command command) {
      this(command, null, List.of());
    }

    @Override
    public List<String> sourceImages() {
      return mounts.stream().flatMap(mount -> mount.sourceImage().stream()).distinct().toList();
    }

    public Run(Command command, ImageSpec.Network network) {
      this(command, network, List.of());
    }
  }

  /** {@code layers:} a directory or .zip merged under {@code dest} (default /opt), one layer each. */
  record Layer(String src, String dest) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.layer(this); }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("layers", Map.of("src", src, "dest", dest));
    }

    @Override
    public Optional<ContextSource> contextSource() {
      return Optional.of(new ContextSource(src, "layers.src"));
    }
  }

  /**
   * {@code copy:} files of the image folder into the image. {@code excludes}: patterns (as
   * {@code .dockerignore}'s) of paths under {@code src} that are left out (a Dockerfile's
   * {@code --exclude}); a file source is matched by its name.
   */
  record Copy(String src, String dest, String owner, String mode, List<String> excludes) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.copy(this); }

    public Copy {
      excludes = excludes == null ? List.of() : List.copyOf(excludes);
    }

    public Copy(String src, String dest, String owner, String mode) {
      this(src, dest, owner, mode, List.of());
    }

    @Override
    public Map<String, Object> keyDocument() {
      Map<String, Object> fields = StepForms.copyFields(src, dest, owner, mode);
      if (!excludes.isEmpty()) {
        fields.put("excludes", excludes);
      }
      return StepForms.keyed("copy", fields);
    }

    @Override
    public Optional<ContextSource> contextSource() {
      return Optional.of(new ContextSource(src, "copy.src"));
    }
  }

  /** {@code env:} inside {@code steps:}, visible to the steps after it and in the image. */
  record Env(Map<String, String> variables) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.env(this); }

    public Env {
      variables = Map.copyOf(variables);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("env", new TreeMap<>(variables));
    }
  }

  /**
   * Variables set only where the image so far lacks them: a Dockerfile's FROM gives PATH its default
   * this way, as Docker's builders do.
   */
  record DefaultEnv(Map<String, String> variables) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.defaultEnv(this); }

    public DefaultEnv {
      variables = Map.copyOf(variables);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("defaultEnv", new TreeMap<>(variables));
    }
  }

  /** {@code workdir:} inside {@code steps:}. */
  record Workdir(String path) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.workdir(this); }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("workdir", path);
    }
  }

  /** {@code user:} inside {@code steps:}. */
  record User(String user) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.user(this); }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("user", user);
    }
  }

  /**
   * Dockerfile {@code COPY --from=IMAGE}: {@code src} (an absolute path, may hold * ? [] wildcards)
   * out of another image's file system, with COPY's destination rules. {@code image} is an image of
   * the tree (a stage of the same Dockerfile, named {@code IMAGE--STAGE}) or a reference.
   * {@code excludes}: {@code --exclude} patterns, as {@link Copy}'s; {@code parents}: {@code --parents},
   * each match keeping its path (after a {@code /./} pivot written in {@code src}) under {@code dest}.
   */
  record CopyFrom(String image, String src, String dest, String owner, String mode, List<String> excludes,
      boolean parents) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.copyFrom(this); }

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

    @Override
    public Map<String, Object> keyDocument() {
      Map<String, Object> fields = StepForms.copyFields(src, dest, owner, mode);
      fields.put("image", image);
      if (!excludes.isEmpty()) {
        fields.put("excludes", excludes);
      }
      if (parents) {
        fields.put("parents", true);
      }
      return StepForms.keyed("copyFrom", fields);
    }
  }

  /**
   * Dockerfile {@code ADD} of a local tar archive (plain, gzip, bzip2 or xz, told by content): extracted under
   * {@code dest}, entries keeping their owners unless {@code owner} ({@code --chown}) is given.
   */
  record AddArchive(String src, String dest, String owner) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.addArchive(this); }

    public AddArchive(String src, String dest) {
      this(src, dest, null);
    }

    @Override
    public Map<String, Object> keyDocument() {
      Map<String, Object> fields = new TreeMap<>(Map.of("src", src, "dest", dest));
      if (owner != null) {
        fields.put("owner", owner);
      }
      return StepForms.keyed("addArchive", fields);
    }

    @Override
    public Optional<ContextSource> contextSource() {
      return Optional.of(new ContextSource(src, "ADD"));
    }
  }

  /** Dockerfile {@code SHELL}: the command that runs shell-form commands of later steps (Docker's config {@code Shell}). */
  record Shell(List<String> shell) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.shell(this); }

    public Shell {
      if (shell == null || shell.isEmpty()) {
        throw new IllegalArgumentException("SHELL needs at least one argument");
      }
      shell = List.copyOf(shell);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("shell", shell);
    }
  }

  /**
   * Dockerfile {@code ARG} values in force: environment of later run steps of this image (an
   * {@link Env} of the same name wins), never written to the image's configuration.
   */
  record BuildArgs(Map<String, String> variables) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.buildArgs(this); }

    public BuildArgs {
      variables = Map.copyOf(variables);
    }

    @Override
    public Map<String, Object> keyDocument() {
      return StepForms.keyed("buildArgs", new TreeMap<>(variables));
    }
  }

  /**
   * Dockerfile COPY or ADD of content that is not a file of the context: a here-document
   * ({@code COPY <<EOF /file}) or, for ADD, an HTTP(S) URL. Written as a context file would be, with
   * COPY's destination rules, {@code --chown} and {@code --chmod}; a here-document is a 0644 file
   * named after its word, a download a 0600 file named after the URL (never extracted).
   */
  record CopyContent(StepContent content, String dest, String owner, String mode) implements StepSpec {
    @Override
    public <R, X extends Exception> R accept(StepVisitor<R, X> visitor) throws X { return visitor.copyContent(this); }

    public CopyContent {
      if (content == null || dest == null || dest.isEmpty()) {
        throw new IllegalArgumentException("a copy of content needs the content and a destination");
      }
    }

    @Override
    public boolean fetchesContent() {
      return content.fetched();
    }

    /** The same copy, of the file {@code name} made from the content. */
    public Copy asCopy(String name) {
      return new Copy(name, dest, owner, mode);
    }

    @Override
    public Map<String, Object> keyDocument() {
      Map<String, Object> fields = StepForms.copyFields(null, dest, owner, mode);
      fields.remove("src");
      content.keyFields(fields);
      return StepForms.keyed("copyContent", fields);
    }
  }
}
