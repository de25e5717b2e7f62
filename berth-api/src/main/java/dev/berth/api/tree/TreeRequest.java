package dev.berth.api.tree;

import dev.berth.api.publish.Registries;
import dev.berth.api.publish.RegistryClients;
import dev.berth.engine.StoreBases;
import dev.berth.graph.TreeConfig;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * The tree a run works on and how to read it: which images, the default platform, the pull policy,
 * Dockerfile arguments, docker-pkg's config, Docker Hub mirrors, registry access.
 *
 * @param tree a tree of image folders, or one image folder
 * @param select globs of image names (empty: all)
 * @param platform default platform of images that name none; null: berth.yaml's
 * @param pull {@code missing}, {@code always} or {@code never}
 * @param buildArgs Dockerfile ARG values
 * @param dockerPkgConfig docker-pkg's config.yaml, or null
 * @param registryMirrors Docker Hub mirrors given besides berth.yaml's
 * @param dockerfile a Dockerfile to build with {@code tree} as context, or null
 * @param target the Dockerfile stage built, or null (the last)
 * @param secrets Dockerfile secrets by id
 * @param sshAgents SSH agent sockets by id ({@code --ssh}), for Dockerfiles' {@code RUN --mount=type=ssh}
 */
public record TreeRequest(Path tree, List<String> select, String platform, String pull, Map<String, String> buildArgs,
    Path dockerPkgConfig, List<String> registryMirrors, Path dockerfile, String target, Map<String, Path> secrets,
    RegistryClients registries, boolean labelGit, Map<String, Path> sshAgents) {

  /** A request without SSH agents. */
  public TreeRequest(Path tree, List<String> select, String platform, String pull, Map<String, String> buildArgs,
      Path dockerPkgConfig, List<String> registryMirrors, Path dockerfile, String target, Map<String, Path> secrets,
      RegistryClients registries, boolean labelGit) {
    this(tree, select, platform, pull, buildArgs, dockerPkgConfig, registryMirrors, dockerfile, target, secrets,
        registries, labelGit, Map.of());
  }

  /** A request without git labels. */
  public TreeRequest(Path tree, List<String> select, String platform, String pull, Map<String, String> buildArgs,
      Path dockerPkgConfig, List<String> registryMirrors, Path dockerfile, String target, Map<String, Path> secrets,
      RegistryClients registries) {
    this(tree, select, platform, pull, buildArgs, dockerPkgConfig, registryMirrors, dockerfile, target, secrets,
        registries, false);
  }

  public TreeRequest {
    select = List.copyOf(select);
    buildArgs = Map.copyOf(buildArgs);
    registryMirrors = List.copyOf(registryMirrors);
    secrets = Map.copyOf(secrets);
    sshAgents = sshAgents == null ? Map.of() : Map.copyOf(sshAgents);
  }

  /** All images of {@code tree}, with defaults: pull when missing, no mirrors, no Dockerfile options. */
  public static TreeRequest of(Path tree, RegistryClients registries) {
    return new TreeRequest(tree, List.of(), null, "missing", Map.of(), null, List.of(), null, null, Map.of(),
        registries);
  }

  /** The same request for {@code other} platforms ({@code os/arch[,os/arch…]}; null: berth.yaml's). */
  public TreeRequest withPlatform(String other) {
    return new TreeRequest(tree, select, other, pull, buildArgs, dockerPkgConfig, registryMirrors, dockerfile, target,
        secrets, registries, labelGit, sshAgents);
  }

  /** The platforms given with the request ({@code --platform a,b}), if any; a bad list is an IllegalArgumentException. */
  public java.util.Optional<dev.berth.oci.Platforms> platforms() {
    return platform == null ? java.util.Optional.empty() : java.util.Optional.of(dev.berth.oci.Platforms.parse(platform));
  }

  /** Registry access for bases: Docker Hub mirrors from berth.yaml, then this request's. */
  public Registries registries(TreeConfig config, ContentStore store, BuildListener progress) {
    List<String> mirrors = new ArrayList<>(config.registryMirrors());
    mirrors.addAll(registryMirrors);
    registries.useMirrors(mirrors);
    return new Registries(registries, store, mirrors, progress);
  }

  /**
   * Where rendered docker-pkg templates are kept: with the tree's other caches under {@code .berth/},
   * not in the store, so that a plan refused for bad input leaves the store as it was.
   */
  private Path renderCache() {
    return tree.toAbsolutePath().normalize().resolve(".berth").resolve("renders");
  }

  /** Scans the tree; warnings (e.g. a control file that disagrees) go to {@code warn}. */
  public TreeScanner.Tree scan(BuildListener warn) throws IOException {
    return scan(warn, null);
  }

  /** As {@link #scan(BuildListener)}; Dockerfiles learn the environment and ONBUILD triggers of bases {@code store} holds. */
  public TreeScanner.Tree scan(BuildListener warn, ContentStore store) throws IOException {
    Platform chosen = platform == null ? null : dev.berth.oci.Platforms.parse(platform).first();
    var bases = store == null ? null : new StoreBases(store, chosen != null ? chosen
        : TreeConfig.load(tree.toAbsolutePath().normalize()).platform());
    var options = new TreeScanner.Options(chosen, dockerPkgConfig, buildArgs, dockerfile, target, bases, secrets)
        .withSshAgents(sshAgents);
    TreeScanner.Tree scanned = TreeScanner.scan(tree, store == null ? options
        : options.withRenderCache(dev.berth.dockerfile.RenderCache.in(renderCache())));
    scanned.warnings().forEach(warning -> warn.on(new BuildEvent.Warning("", warning)));
    return labelGit ? scanned.withLabels(dev.berth.graph.GitLabels.of(scanned.root())) : scanned;
  }
}
