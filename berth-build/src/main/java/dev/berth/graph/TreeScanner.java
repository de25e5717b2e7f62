package dev.berth.graph;

import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.dockerfile.DockerPkgTree;
import dev.berth.dockerfile.DockerfileFrontend;
import dev.berth.dockerfile.RenderCache;
import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.ImageSpecParser;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Finds every image folder under a tree (a folder holding image.yaml) and parses it. */
public final class TreeScanner {
  private TreeScanner() {}

  /** A scanned tree; {@code warnings} are what a user should hear about (e.g. a control file that disagrees). */
  public record Tree(Path root, TreeConfig config, ImageGraph graph, List<String> warnings,
      Map<String, dev.berth.oci.Platforms> declaredPlatforms) {
    public Tree {
      warnings = List.copyOf(warnings);
      declaredPlatforms = declaredPlatforms == null ? Map.of() : Map.copyOf(declaredPlatforms);
    }

    /** A tree whose images name no platforms of their own. */
    public Tree(Path root, TreeConfig config, ImageGraph graph, List<String> warnings) {
      this(root, config, graph, warnings, Map.of());
    }

    /** The tree with {@code labels} set on every image (see {@link ImageGraph#withImageLabels}). */
    public Tree withLabels(Map<String, String> labels) {
      return new Tree(root, config, graph.withImageLabels(labels), warnings, declaredPlatforms);
    }

    /** The tree with another graph (same root, config and platforms). */
    public Tree withGraph(ImageGraph other) {
      return new Tree(root, config, other, warnings, declaredPlatforms);
    }
  }

  /**
   * How to read a tree besides its own files.
   *
   * @param platform when not null, overrides berth.yaml's default platform
   * @param dockerPkgConfig docker-pkg's config.yaml when it is not at the tree's root (null: the root's, if any)
   * @param buildArgs Dockerfile ARG values ({@code --build-arg}); they win over berth.yaml's variables
   * @param dockerfile when not null, the tree is one build context and this Dockerfile ({@code -f}) its image
   * @param target when not null, the stage of each Dockerfile built as its image ({@code --target})
   * @param bases what is known of bases outside the tree (environment, ONBUILD triggers), e.g. from the store
   * @param secrets secret files by id ({@code --secret}), for Dockerfiles' {@code RUN --mount=type=secret}
   * @param renderCache where docker-pkg templates' renderings are kept between runs (null: nowhere)
   * @param sshAgents SSH agent sockets by id ({@code --ssh}), for Dockerfiles' {@code RUN --mount=type=ssh}
   */
  public record Options(Platform platform, Path dockerPkgConfig, Map<String, String> buildArgs, Path dockerfile,
      String target, DockerfileFrontend.Bases bases, Map<String, Path> secrets, RenderCache renderCache,
      Map<String, Path> sshAgents) {
    public static final Options DEFAULT = new Options(null, null, Map.of());

    public Options {
      buildArgs = Map.copyOf(buildArgs);
      bases = bases == null ? DockerfileFrontend.Bases.NONE : bases;
      secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
      renderCache = renderCache == null ? RenderCache.NONE : renderCache;
      sshAgents = sshAgents == null ? Map.of() : Map.copyOf(sshAgents);
    }

    public Options(Platform platform, Path dockerPkgConfig, Map<String, String> buildArgs, Path dockerfile,
        String target, DockerfileFrontend.Bases bases, Map<String, Path> secrets, RenderCache renderCache) {
      this(platform, dockerPkgConfig, buildArgs, dockerfile, target, bases, secrets, renderCache, Map.of());
    }

    /** These options with SSH agent sockets for {@code RUN --mount=type=ssh}. */
    public Options withSshAgents(Map<String, Path> agents) {
      return new Options(platform, dockerPkgConfig, buildArgs, dockerfile, target, bases, secrets, renderCache, agents);
    }

    public Options(Platform platform, Path dockerPkgConfig, Map<String, String> buildArgs, Path dockerfile,
        String target, DockerfileFrontend.Bases bases, Map<String, Path> secrets) {
      this(platform, dockerPkgConfig, buildArgs, dockerfile, target, bases, secrets, null);
    }

    /** These options with docker-pkg templates' renderings kept in {@code cache}. */
    public Options withRenderCache(RenderCache cache) {
      return new Options(platform, dockerPkgConfig, buildArgs, dockerfile, target, bases, secrets, cache, sshAgents);
    }

    public Options(Platform platform, Path dockerPkgConfig, Map<String, String> buildArgs) {
      this(platform, dockerPkgConfig, buildArgs, null, null, null, null);
    }
  }

  /** Scans {@code root}; {@code platform}, when not null, overrides berth.yaml's default platform. */
  public static Tree scan(Path root, Platform platform) throws IOException {
    return scan(root, new Options(platform, null, Map.of()));
  }

  /**
   * The root of the docker-pkg tree a template folder belongs to: the scanned tree when a config is
   * given, else the nearest folder up to the scanned tree that holds docker-pkg's config.yaml (and is
   * no image folder: an image's own config.yaml is one of its files), else the scanned tree itself.
   */
  private static Path dockerPkgRoot(Path tree, Path templateFolder, Options options) {
    if (options.dockerPkgConfig() != null) {
      return tree;
    }
    for (Path dir = templateFolder; dir != null && dir.startsWith(tree); dir = dir.getParent()) {
      if (DockerPkgTree.isRoot(dir)) {
        return dir;
      }
    }
    return tree;
  }

  public static Tree scan(Path root, Options options) throws IOException {
    Platform platform = options.platform();
    Path tree = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(tree)) {
      throw new GraphException("no such directory: " + tree);
    }
    TreeConfig config = TreeConfig.load(tree);
    if (options.dockerfile() != null) {
      return oneDockerfile(tree, config, options);
    }
    List<Path> specFolders = new ArrayList<>();
    List<Path> dockerfileFolders = new ArrayList<>();
    java.util.Set<Path> dockerPkgRoots = new java.util.TreeSet<>();
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!dir.equals(tree) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (Files.isRegularFile(dir.resolve(ImageSpecParser.FILE_NAME))) {
          specFolders.add(dir);
        } else if (Files.isRegularFile(dir.resolve(DockerPkgTree.TEMPLATE))) {
          dockerPkgRoots.add(dockerPkgRoot(tree, dir, options));
        } else if (Files.isRegularFile(dir.resolve(DockerfileFrontend.FILE_NAME))) {
          dockerfileFolders.add(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    Platform effective = platform != null ? platform : config.platform();
    ImageSpecParser parser = specFolders.isEmpty() ? null : new ImageSpecParser(effective);
    List<ImageSpec> specs = parseAll(specFolders, parser);
    DockerfileFrontend frontend = new DockerfileFrontend(effective, options.bases(), options.target(),
        options.secrets(), options.sshAgents());
    Map<String, String> buildArgs = buildArgs(config, options);
    List<String> warnings = new ArrayList<>();
    Map<String, java.util.Set<String>> declared = new TreeMap<>();
    Map<String, String> failures = new TreeMap<>();
    Map<String, String> labels = new TreeMap<>();
    for (Path folder : dockerfileFolders) {
      var result = frontend.parse(folder, folder.getFileName().toString().toLowerCase(java.util.Locale.ROOT), buildArgs);
      specs.addAll(result.images());
      warnings.addAll(result.warnings());
    }
    for (TreeConfig.DockerfileImage image : config.dockerfiles()) {
      var result = new DockerfileFrontend(effective, options.bases(), image.target(), options.secrets(),
          options.sshAgents())
          .parse(tree.resolve(image.context()), tree.resolve(image.dockerfile()), image.name(), buildArgs);
      specs.addAll(result.images());
      warnings.addAll(result.warnings());
    }
    for (Path dockerPkgRoot : dockerPkgRoots) {
      Path found = dockerPkgRoot.resolve(DockerPkgConfig.FILE_NAME);
      Path dockerPkgConfig = options.dockerPkgConfig() != null ? options.dockerPkgConfig() : found;
      var dockerPkgTree = DockerPkgTree.load(dockerPkgRoot, options.dockerPkgConfig() != null || Files.isRegularFile(found) ? dockerPkgConfig : null,
          effective, DockerfileFrontend.Bases.NONE, options.buildArgs(), options.renderCache());
      specs.addAll(dockerPkgTree.images());
      warnings.addAll(dockerPkgTree.warnings());
      declared.putAll(dockerPkgTree.dependencies());
      failures.putAll(dockerPkgTree.failures());
      labels.putAll(dockerPkgTree.labels());
    }
    if (specs.isEmpty()) {
      throw new GraphException("no image folders (with " + ImageSpecParser.FILE_NAME + ", a Dockerfile, or a "
          + "docker-pkg Dockerfile.template) under " + tree);
    }
    return new Tree(tree, config, ImageGraph.of(specs, declared, failures).withSelectLabels(labels), warnings,
        parser == null ? Map.of() : parser.declaredPlatforms());
  }

  /**
   * Every image.yaml parsed, on all cores, in {@code folders}' order; of several bad ones, the first
   * in that order is the one reported. A tree without image.yaml does not load the YAML stack.
   */
  private static List<ImageSpec> parseAll(List<Path> folders, ImageSpecParser parser) {
    if (folders.isEmpty()) {
      return new ArrayList<>();
    }
    record Parsed(ImageSpec spec, RuntimeException error) {}
    List<Parsed> parsed = folders.parallelStream().map(folder -> {
      try {
        return new Parsed(parser.parse(folder), null);
      } catch (RuntimeException e) {
        return new Parsed(null, e);
      }
    }).toList();
    List<ImageSpec> specs = new ArrayList<>();
    for (Parsed one : parsed) {
      if (one.error() != null) {
        throw one.error();
      }
      specs.add(one.spec());
    }
    return specs;
  }

  private static Map<String, String> buildArgs(TreeConfig config, Options options) {
    Map<String, String> buildArgs = new TreeMap<>(config.variables());
    buildArgs.putAll(options.buildArgs());
    return buildArgs;
  }

  /** {@code docker build -f FILE CONTEXT}: the tree is the context, the image is named after it. */
  private static Tree oneDockerfile(Path context, TreeConfig config, Options options) {
    Platform platform = options.platform() != null ? options.platform() : config.platform();
    Path file = options.dockerfile().toAbsolutePath().normalize();
    String name = context.getFileName() == null ? "image"
        : context.getFileName().toString().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    var result = new DockerfileFrontend(platform, options.bases(), options.target(), options.secrets(),
        options.sshAgents())
        .parse(context, file, name, buildArgs(config, options));
    return new Tree(context, config, ImageGraph.of(result.images()), result.warnings());
  }
}
