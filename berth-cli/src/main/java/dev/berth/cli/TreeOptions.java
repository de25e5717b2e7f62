package dev.berth.cli;

import dev.berth.api.tree.TreeRequest;
import dev.berth.graph.TreeScanner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.berth.event.BuildListener;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The tree a command works on and which of its images. */
final class TreeOptions {
  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "TREE",
      description = "A tree of image folders, or one image folder. Default: the current directory.")
  Path tree;

  @Option(names = "--label-git", description = "Label every image with the tree's git commit and origin URL "
      + "(org.opencontainers.image.revision, .source), as buildx's BUILDX_GIT_LABELS does.")
  boolean labelGit;

  @Option(names = "--select", paramLabel = "GLOB",
      description = "Only images whose name matches (repeatable), plus the parents they need.")
  List<String> select = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "OS/ARCH[,OS/ARCH…]",
      description = {"The platforms to build for (default: berth.yaml's, else linux/amd64); several give",
          "each image one manifest per platform and an OCI index over them."})
  String platform;

  @Option(names = "--pull", defaultValue = "missing", paramLabel = "missing|always|never",
      description = {"Bases from a registry: pull when missing (and warn when the stored one is stale),",
          "always (refresh a moved tag; a registry error fails), never (default: ${DEFAULT-VALUE})."})
  String pull;

  @Option(names = "--build-arg", paramLabel = "NAME=VALUE",
      description = "A Dockerfile ARG value (repeatable); wins over berth.yaml's variables and docker-pkg's config.")
  Map<String, String> buildArgs = new LinkedHashMap<>();

  @Option(names = "--config", paramLabel = "FILE",
      description = "docker-pkg's config.yaml for a docker-pkg tree (default: the one at the tree's root, if any).")
  Path dockerPkgConfig;

  @Option(names = "--registry-mirror", paramLabel = "URL",
      description = "A Docker Hub mirror, tried before Docker Hub (repeatable; after berth.yaml's registryMirrors).")
  List<String> registryMirrors = new ArrayList<>();

  @Option(names = {"-f", "--file"}, paramLabel = "DOCKERFILE",
      description = "Build this Dockerfile with TREE as its build context (one image, named after TREE).")
  Path dockerfile;

  @Option(names = "--target", paramLabel = "STAGE",
      description = "The Dockerfile stage built as the image (default: the last).")
  String target;

  @Option(names = "--secret", paramLabel = "id=ID,src=FILE",
      description = "A secret for Dockerfiles' RUN --mount=type=secret (repeatable); never in a layer or a key.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--ssh", paramLabel = "default|ID=SOCKET",
      description = "An SSH agent for Dockerfiles' RUN --mount=type=ssh (repeatable): default is $SSH_AUTH_SOCK;"
          + " never in a layer or a key.")
  List<String> ssh = new ArrayList<>();

  @picocli.CommandLine.Mixin RegistryOptions registries;

  private static boolean isSocket(Path path) {
    try {
      return java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).isOther();
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** {@code --ssh default} ($SSH_AUTH_SOCK) or {@code --ssh ID=SOCKET}, as buildx reads it (agent sockets only). */
  private Map<String, Path> sshAgents() {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String agent : ssh) {
      String[] pair = agent.split("=", 2);
      String socket = pair.length > 1 ? pair[1] : pair[0].equals("default") ? System.getenv("SSH_AUTH_SOCK") : null;
      if (pair[0].isEmpty() || socket == null || socket.isEmpty()) {
        throw new IllegalArgumentException("--ssh '" + agent + "': " + (pair[0].equals("default")
            ? "SSH_AUTH_SOCK is not set; start ssh-agent or give default=SOCKET" : "expected default or ID=SOCKET"));
      }
      Path path = Path.of(socket).toAbsolutePath();
      if (!isSocket(path)) {
        throw new IllegalArgumentException("--ssh '" + agent + "': " + socket + " is not an SSH agent socket");
      }
      out.put(pair[0], path);
    }
    return out;
  }

  /** {@code --secret id=ID,src=FILE} (or {@code source=}) as docker build reads it. */
  private Map<String, Path> secretFiles() {
    Map<String, Path> out = new LinkedHashMap<>();
    for (String secret : secrets) {
      String id = null;
      String source = null;
      for (String field : secret.split(",")) {
        String[] pair = field.split("=", 2);
        switch (pair[0]) {
          case "id" -> id = pair.length > 1 ? pair[1] : null;
          case "src", "source" -> source = pair.length > 1 ? pair[1] : null;
          case "type" -> { }
          default -> throw new IllegalArgumentException("--secret '" + secret + "': expected id=ID,src=FILE");
        }
      }
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("--secret '" + secret + "' needs id=ID");
      }
      out.put(id, Path.of(source != null ? source : id).toAbsolutePath());
    }
    return out;
  }

  /** The platforms of --platform, if given; a malformed or unknown one is a usage error. */
  java.util.Optional<dev.berth.oci.Platforms> platforms() {
    try {
      return platform == null ? java.util.Optional.empty() : java.util.Optional.of(dev.berth.oci.Platforms.parse(platform));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--platform: " + e.getMessage());
    }
  }

  /**
   * Files a run reads besides the tree, for a no-op's replay (see {@link NoOpRun}): the store's index
   * of names, and the Dockerfile and docker-pkg config given as options.
   */
  List<Path> filesOutsideTree(dev.berth.store.ContentStore store) {
    List<Path> files = new ArrayList<>();
    files.add(store.root().resolve("index.json"));
    if (dockerfile != null) {
      files.add(dockerfile);
    }
    if (dockerPkgConfig != null) {
      files.add(dockerPkgConfig);
    }
    return files;
  }

  /** The tree and options as the API takes them. */
  TreeRequest request() {
    platforms();
    return new TreeRequest(tree, select, platform, pull, buildArgs, dockerPkgConfig, registryMirrors, dockerfile, target,
        secretFiles(), registries.clients(), labelGit, sshAgents());
  }

  /** Scans the tree as these options say; warnings (e.g. a control file that disagrees) go to {@code warn}. */
  TreeScanner.Tree scan(BuildListener warn) throws IOException {
    return request().scan(warn);
  }
}
