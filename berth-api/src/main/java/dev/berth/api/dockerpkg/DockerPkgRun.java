package dev.berth.api.dockerpkg;

import dev.berth.api.build.Builders;
import dev.berth.api.publish.Publishing;
import dev.berth.api.publish.RegistryClients;
import dev.berth.api.tree.Session;
import dev.berth.api.tree.TreeRequest;
import dev.berth.api.verify.TestScripts;
import dev.berth.api.verify.Verifiers;
import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.dockerfile.DockerfileFrontend;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.StepReuse;
import dev.berth.event.BuildListener;
import dev.berth.graph.Fnmatch;
import dev.berth.graph.ImageGraph;
import dev.berth.layer.Compression;
import dev.berth.plan.ImageState;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.plan.TreeBuild;
import dev.berth.registry.Credentials;
import dev.berth.spec.Changelog;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * docker-pkg's {@code build} over berth: read the tree as docker-pkg's config.yaml says, plan the
 * images {@code --select} matches (by their {@code registry/namespace/name:version} label), build,
 * verify with the config's test command and, with credentials, publish. Open it, read
 * {@link #toBuild()}, then {@link #build()}; close it after.
 */
public final class DockerPkgRun implements AutoCloseable {

  /**
   * What {@code docker-pkg build} was asked.
   *
   * @param directory the tree to scan
   * @param configFile docker-pkg's config.yaml
   * @param select an fnmatch glob on images' labels, or null (all)
   * @param noPull look in no registry for images or bases
   * @param useCache take package steps from the step cache even when a version moved
   * @param versionSuffix appended to every changelog version ({@link #versionSuffix})
   * @param debug keep failures' stack traces in the journal's log
   */
  public record Request(Path directory, Path configFile, String select, boolean noPull, boolean useCache,
      String versionSuffix, boolean debug) {}

  /** How one image ended, as docker-pkg reports it. */
  public record ImageResult(String name, String fullName, String label, ImageState state, String cause,
      boolean builtNow, List<String> alreadyPublished) {
    /** A build stage of a Dockerfile image, which docker-pkg does not show unless it failed. */
    public boolean isStage() {
      return DockerfileFrontend.isStage(name);
    }
  }

  /** Every image's result, and whether the run succeeded (nothing failed or was blocked). */
  public record Result(List<ImageResult> images, boolean succeeded) {}

  private final Request request;
  private final DockerPkgConfig config;
  private final BuildListener log;
  private final RegistryClients clients;
  private final Session session;
  private final ContentStore.Lease lease;
  private final Optional<Publishing> publishing;
  private final boolean credentials;
  private final Plan plan;
  private final String path;

  private DockerPkgRun(Request request, DockerPkgConfig config, ContentStore store, BuildListener log,
      Map<String, String> environment) throws IOException {
    this.request = request;
    this.config = config;
    this.log = log;
    this.path = environment.get("PATH");
    this.credentials = config.username() != null && !config.username().isEmpty()
        && config.password() != null && !config.password().isEmpty();
    this.clients = new RegistryClients(credentials ? Credentials.parse(config.username() + ":" + config.password())
        : null, null, false, environment);
    BuildSettings settings = BuildSettings.fromEnvironment(environment, Compression.GZIP)
        .withVersionSuffix(request.versionSuffix())
        .withStepReuse(request.useCache() ? StepReuse.ALWAYS : StepReuse.VERSIONED);
    TreeRequest tree = new TreeRequest(request.directory(), List.of(), null, request.noPull() ? "never" : "missing",
        Map.of(), request.configFile(), List.of(), null, null, Map.of(), clients);
    Session opened = null;
    ContentStore.Lease leased = null;
    try {
      opened = new Session(tree, store, Builders.AUTO, log, settings);
      leased = opened.store.lease();
      String registry = registry(config);
      this.publishing = registry == null ? Optional.empty()
          : Optional.of(new Publishing(registry, clients, opened.store));
      Planner.RemoteCheck remote = request.noPull() ? Planner.RemoteCheck.NONE
          : publishing.map(Publishing::remoteCheck).orElse(Planner.RemoteCheck.NONE);
      ImageGraph graph = opened.tree.graph();
      List<String> chosen = matching(graph, request.select(), config::fullName, request.versionSuffix());
      this.plan = opened.plan(false, remote, chosen.isEmpty() ? List.of() : graph.select(chosen));
    } catch (IOException | RuntimeException e) {
      closeAll(leased, opened, clients);
      throw e;
    }
    this.session = opened;
    this.lease = leased;
  }

  /**
   * Scans and plans; {@code config} is {@code request}'s config file as read (loaded first, so that a bad
   * one is refused before anything is shown), {@code log} receives the run's events.
   */
  public static DockerPkgRun open(Request request, DockerPkgConfig config, ContentStore store, BuildListener log,
      Map<String, String> environment) throws IOException {
    return new DockerPkgRun(request, config, store, log, environment);
  }

  /** The labels of the images the plan builds (not present, not build stages), in build order. */
  public List<String> toBuild() {
    return plan.images().stream().filter(item -> item.action() != Plan.Action.CACHED)
        .filter(item -> !DockerfileFrontend.isStage(item.name()))
        .map(item -> label(item.name())).toList();
  }

  /** Whether images are published: config.yaml names a registry and has credentials. */
  public boolean publishes() {
    return credentials && publishing.isPresent();
  }

  /** The tree as scanned. */
  public dev.berth.graph.TreeScanner.Tree tree() {
    return session.tree;
  }

  /** The store images are built into. */
  public ContentStore store() {
    return session.store;
  }

  /** Whether a registry may have been contacted so far (looking for images or bases, publishing). */
  public boolean usedRegistry() {
    return clients.used();
  }

  /** Builds, verifies and (see {@link #publishes()}) publishes what was planned. */
  public Result build() throws Exception {
    ImageGraph graph = session.tree.graph();
    TreeBuild run = new TreeBuild(session.build, session.journal, Runtime.getRuntime().availableProcessors(),
        Verifiers.runc(session.store, session.run, log, image -> label(image.spec().name()),
            new TestScripts.Invocation(config.verifyCommand(), config.verifyArgs(),
                config.verifyEnvironment(path), true)),
        credentials ? publishing.map(target -> target.reporting(log).publisher()).orElse(null) : null, log)
        .debugging(request.debug())
        .fetching(publishing.map(Publishing::fetcher).orElse(TreeBuild.Fetcher.NONE));
    TreeBuild.RunResult result = run.run(plan, false);
    List<ImageResult> images = new ArrayList<>();
    for (TreeBuild.Result image : result.images()) {
      boolean builtNow = plan.images().stream()
          .anyMatch(item -> item.name().equals(image.name()) && item.action() == Plan.Action.BUILD);
      List<String> alreadyPublished = image.references() == null ? List.of()
          : image.references().stream().filter(reference -> reference.contains(" already published")).toList();
      images.add(new ImageResult(image.name(), config.fullName(image.name()),
          label(image.name()), image.state(),
          image.cause(), builtNow, alreadyPublished));
    }
    return new Result(List.copyOf(images), result.succeeded());
  }

  private String label(String name) {
    return label(session.tree.graph(), name, config::fullName, request.versionSuffix());
  }

  @Override
  public void close() throws IOException {
    closeAll(lease, session, clients);
  }

  private static void closeAll(ContentStore.Lease lease, Session session, RegistryClients clients) throws IOException {
    try (clients; session; lease) {
      // closed in reverse order: the lease, the session, then the registry clients
    }
  }

  /** {@code registry/namespace} of config.yaml, or null when it names no registry. */
  private static String registry(DockerPkgConfig config) {
    if (config.registry() == null || config.registry().isEmpty()) {
      return null;
    }
    return config.namespace() == null || config.namespace().isEmpty() ? config.registry()
        : config.registry() + "/" + config.namespace();
  }

  /** docker-pkg's tag suffix: {@code --nightly} {@code -YYYYMMDD}, {@code --snapshot} {@code -YYYYMMDD-HHMMSS}. */
  public static String versionSuffix(boolean nightly, boolean snapshot, LocalDateTime now) {
    if (nightly) {
      return "-" + DateTimeFormatter.ofPattern("yyyyMMdd").format(now);
    }
    return snapshot ? "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(now) : "";
  }

  /** An image's docker-pkg label, {@code registry/namespace/name:version}. */
  public static String label(ImageGraph graph, String name, Function<String, String> fullName, String suffix) {
    try {
      return fullName.apply(name) + ":" + Changelog.read(graph.spec(name).folder())
          .map(changelog -> changelog.version() + suffix).orElse("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The images (not build stages) whose label matches {@code glob} with fnmatch; all of them when null. */
  public static List<String> matching(ImageGraph graph, String glob, Function<String, String> fullName,
      String suffix) {
    List<String> out = new ArrayList<>();
    for (String name : graph.order()) {
      if (!DockerfileFrontend.isStage(name)
          && (glob == null || Fnmatch.matches(glob, label(graph, name, fullName, suffix)))) {
        out.add(name);
      }
    }
    return out;
  }
}
