package dev.berth.spec;

import dev.berth.oci.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One image of a tree, as its {@code image.yaml} says, validated: steps in build order, the final
 * runtime configuration, checks and tags.
 *
 * @param folder the image folder; every input file lies inside it
 * @param file the spec file (for messages)
 * @param base another image of the tree, {@code scratch}, or a reference (registry, oci:, docker-archive:)
 * @param stepLines the line of {@code file} each step comes from (a Dockerfile's instruction), 0 when
 *     unknown; empty for specs whose steps have no line of their own
 * @param gitignore whether the folder's files that git's {@code .gitignore} rules ignore are left out of
 *     what steps read from it, besides {@code .dockerignore} ({@code gitignore: true} in image.yaml)
 */
public record ImageSpec(
    Path folder,
    Path file,
    String name,
    String base,
    Platform platform,
    List<StepSpec> steps,
    RuntimeConfig config,
    Network network,
    List<String> caches,
    List<Secret> secrets,
    List<Command> verify,
    List<String> tags,
    List<Integer> stepLines,
    boolean gitignore) {

  /** A spec that keeps the files git ignores. */
  public ImageSpec(Path folder, Path file, String name, String base, Platform platform, List<StepSpec> steps,
      RuntimeConfig config, Network network, List<String> caches, List<Secret> secrets, List<Command> verify,
      List<String> tags, List<Integer> stepLines) {
    this(folder, file, name, base, platform, steps, config, network, caches, secrets, verify, tags, stepLines, false);
  }

  /** A spec whose steps name no line of their file. */
  public ImageSpec(Path folder, Path file, String name, String base, Platform platform, List<StepSpec> steps,
      RuntimeConfig config, Network network, List<String> caches, List<Secret> secrets, List<Command> verify,
      List<String> tags) {
    this(folder, file, name, base, platform, steps, config, network, caches, secrets, verify, tags, List.of());
  }

  public ImageSpec {
    stepLines = stepLines == null ? List.of() : List.copyOf(stepLines);
    steps = List.copyOf(steps);
    caches = List.copyOf(caches);
    secrets = List.copyOf(secrets);
    verify = List.copyOf(verify);
    tags = List.copyOf(tags);
  }

  /**
   * Where step {@code index} was written, {@code FILE:LINE} (a Dockerfile's instruction), for
   * errors found while building; empty when the spec does not say.
   */
  public java.util.Optional<String> stepOrigin(int index) {
    if (file == null || index < 0 || index >= stepLines.size() || stepLines.get(index) <= 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(file + ":" + stepLines.get(index));
  }

  /** This image with {@code extra} labels set over its own. */
  public ImageSpec withLabels(Map<String, String> extra) {
    Map<String, String> merged = new java.util.TreeMap<>(config.labels());
    merged.putAll(extra);
    RuntimeConfig labelled = new RuntimeConfig(config.env(), config.workdir(), config.user(), config.entrypoint(),
        config.cmd(), config.expose(), merged, config.volumes(), config.stopSignal(), config.healthcheck(),
        config.onBuild(), config.shell(), config.author());
    return new ImageSpec(folder, file, name, base, platform, steps, labelled, network, caches, secrets, verify, tags,
        stepLines, gitignore);
  }

  /** This image built for {@code other} (one platform of a multi-platform image). */
  public ImageSpec withPlatform(Platform other) {
    return new ImageSpec(folder, file, name, base, other, steps, config, network, caches, secrets, verify, tags,
        stepLines, gitignore);
  }

  /** This image with {@code other} tag templates (the children of an index carry only their key tag). */
  public ImageSpec withTags(List<String> other) {
    return new ImageSpec(folder, file, name, base, platform, steps, config, network, caches, secrets, verify, other,
        stepLines, gitignore);
  }

  /** The ignore file that filters this image's inputs; see {@link #ignoreFile(Path, Path)}. */
  public Path ignoreFile() {
    return ignoreFile(folder, file);
  }

  /**
   * As BuildKit: {@code NAME.dockerignore} next to the Dockerfile {@code NAME} when it exists (it
   * wins), else the context's {@code .dockerignore}.
   */
  public static Path ignoreFile(Path context, Path specFile) {
    if (specFile != null && specFile.getFileName() != null) {
      Path own = specFile.resolveSibling(specFile.getFileName() + ".dockerignore");
      if (java.nio.file.Files.isRegularFile(own)) {
        return own;
      }
    }
    return context.resolve(".dockerignore");
  }

  /** Network of run steps; apt and pip steps always get the host's. */
  public enum Network { NONE, HOST }

  /** A file mounted at {@code /run/secrets/ID} for the steps that run; never in a layer or the key. */
  public record Secret(String id, Path source) {}

  /**
   * The runtime configuration of the finished image; null fields leave the base's value. ONBUILD
   * triggers are never inherited: the image has its own {@code onBuild}, often none.
   */
  public record RuntimeConfig(
      Map<String, String> env,
      String workdir,
      String user,
      List<String> entrypoint,
      List<String> cmd,
      List<String> expose,
      Map<String, String> labels,
      List<String> volumes,
      String stopSignal,
      dev.berth.oci.ImageConfig.Healthcheck healthcheck,
      List<String> onBuild,
      List<String> shell,
      String author) {

    /** Without health check, ONBUILD triggers, shell or author (those come from Dockerfiles). */
    public RuntimeConfig(Map<String, String> env, String workdir, String user, List<String> entrypoint,
        List<String> cmd, List<String> expose, Map<String, String> labels, List<String> volumes, String stopSignal) {
      this(env, workdir, user, entrypoint, cmd, expose, labels, volumes, stopSignal, null, List.of(), null, null);
    }

    public RuntimeConfig {
      onBuild = onBuild == null ? List.of() : List.copyOf(onBuild);
      shell = shell == null ? null : List.copyOf(shell);
      env = env == null ? Map.of() : Map.copyOf(env);
      expose = expose == null ? List.of() : List.copyOf(expose);
      labels = labels == null ? Map.of() : Map.copyOf(labels);
      volumes = volumes == null ? List.of() : List.copyOf(volumes);
      entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
      cmd = cmd == null ? null : List.copyOf(cmd);
    }
  }
}
