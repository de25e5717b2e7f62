package dev.berth.dockerfile;

import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.spec.Changelog;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.spec.StepSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a Dockerfile into berth image specs. Every stage the last one needs (through FROM or COPY
 * --from) becomes its own image named {@code IMAGE--STAGE} (or {@code IMAGE--stage-N} when
 * unnamed), so the scheduler builds stages as dependencies; the last stage is the image itself.
 * Variables are substituted where Docker substitutes them, with its ARG and ENV scoping.
 */
public final class DockerfileFrontend {
  public static final String FILE_NAME = "Dockerfile";
  /** Between an image's name and its stage's in the name of a stage image. */
  public static final String STAGE_SEPARATOR = "--";
  /** Build arguments Docker knows without an ARG: given with --build-arg, they reach every RUN. */
  public static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
      "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");
  static final List<String> DEFAULT_PATH_ENV =
      List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");

  private final Platform platform;
  private final Bases bases;
  private final String target;
  private final Map<String, Path> secrets;
  private final Map<String, Path> sshAgents;

  /** What the frontend needs to know about images a Dockerfile names. */
  public interface Bases {
    /** The tree image a FROM or COPY --from reference names, if it names one (docker-pkg: its full reference). */
    Optional<String> treeImage(String reference);

    /**
     * The environment of a base (a tree image's name, or a reference), for {@code $VAR} in the
     * instructions after FROM; empty when unknown.
     */
    Optional<Map<String, String>> environment(String base);

    /** The ONBUILD triggers of a base (a tree image's name, or a reference), run after its FROM. */
    default List<String> onBuild(String base) {
      return List.of();
    }

    Bases NONE = new Bases() {
      @Override
      public Optional<String> treeImage(String reference) {
        return Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> environment(String base) {
        return Optional.empty();
      }
    };
  }

  /**
   * The images of one Dockerfile, stages first, the image itself last; its final environment as far
   * as it is known (for images built on it), and warnings worth a report line.
   */
  public record Result(List<ImageSpec> images, Map<String, String> environment, List<String> warnings) {
    public Result {
      images = List.copyOf(images);
      environment = Map.copyOf(environment);
      warnings = List.copyOf(warnings);
    }

    public ImageSpec image() {
      return images.get(images.size() - 1);
    }
  }

  public DockerfileFrontend(Platform platform, Bases bases) {
    this(platform, bases, null);
  }

  /** @param target the stage built as the image ({@code --target}); null: the last */
  public DockerfileFrontend(Platform platform, Bases bases, String target) {
    this(platform, bases, target, Map.of());
  }

  /** @param secrets secret files by id, for {@code RUN --mount=type=secret} */
  public DockerfileFrontend(Platform platform, Bases bases, String target, Map<String, Path> secrets) {
    this(platform, bases, target, secrets, Map.of());
  }

  /** @param sshAgents SSH agent sockets by id ({@code --ssh}), for {@code RUN --mount=type=ssh} */
  public DockerfileFrontend(Platform platform, Bases bases, String target, Map<String, Path> secrets,
      Map<String, Path> sshAgents) {
    this.platform = platform;
    this.bases = bases;
    this.target = target;
    this.secrets = Map.copyOf(secrets);
    this.sshAgents = Map.copyOf(sshAgents);
  }

  /** {@code folder/Dockerfile} as the image named after the folder, for linux/amd64. */
  public static List<ImageSpec> parse(Path folder, Map<String, String> buildArgs) {
    Path absolute = folder.toAbsolutePath().normalize();
    return new DockerfileFrontend(Platform.LINUX_AMD64, Bases.NONE)
        .parse(absolute, absolute.getFileName().toString(), buildArgs).images();
  }

  /** {@code folder/Dockerfile} as the image {@code name}. */
  public Result parse(Path folder, String name, Map<String, String> buildArgs) {
    Path file = folder.resolve(FILE_NAME);
    boolean changelog = Files.isRegularFile(folder.resolve(Changelog.FILE_NAME));
    return parse(folder, file, read(file), name, buildArgs,
        changelog ? List.of("{key}", "{version}") : List.of("{key}"));
  }

  /** The Dockerfile {@code file} (any name, anywhere) with {@code context} as its build context, as bake's. */
  public Result parse(Path context, Path file, String name, Map<String, String> buildArgs) {
    String text = read(file);
    if (!Files.isDirectory(context)) {
      throw new SpecException(file, "the build context " + context + " is not a directory");
    }
    return parse(context, file, text, name, buildArgs, List.of("{key}"));
  }

  /**
   * Dockerfile {@code text} (read from, or rendered for, {@code file}) with {@code folder} as the
   * build context; the image gets {@code tags}, its stages {@code {key}} only.
   */
  public Result parse(Path folder, Path file, String text, String name, Map<String, String> buildArgs,
      List<String> tags) {
    if (!ImageReference.isValidRepository(name)) {
      throw new SpecException(file, "invalid image name '" + name + "'");
    }
    DockerfileParser.Parsed parsed = DockerfileParser.parse(file, text);
    BuildContext context = new BuildContext(folder, ImageSpec.ignoreFile(folder, file));
    return new DockerfileConversion(parsed, context, name, buildArgs, tags, platform, bases, target, secrets,
        sshAgents).run();
  }

  private static String read(Path file) {
    return dev.berth.text.TextFiles.read(file);
  }

  /** The images {@code spec} needs built first: its base and every COPY --from image of the tree. */
  public static Set<String> dependencies(ImageSpec spec) {
    return dev.berth.spec.BaseReference.treeImageCandidates(spec);
  }

  /** Whether {@code name} is a stage image rather than an image of the tree in its own right. */
  public static boolean isStage(String name) {
    return name.contains(STAGE_SEPARATOR);
  }

  static Map<String, String> envMap(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      out.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return out;
  }
}
