package dev.berth.cli;

import dev.berth.api.build.Builders;
import dev.berth.api.publish.Publishing;
import dev.berth.api.tree.Session;
import dev.berth.api.verify.TestScripts;
import dev.berth.api.verify.Verifiers;
import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.StepReuse;
import dev.berth.event.BuildListener;
import dev.berth.graph.ImageGraph;
import dev.berth.layer.Compression;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth docker-pkg build}: plan, build, verify (test.sh) and, when config.yaml has
 * credentials, publish, printing docker-pkg's steps. Unlike docker-pkg, the exit status is 1 when
 * any image failed or was blocked.
 */
@Command(name = "build", description = "Build images (and publish them to the registry), as docker-pkg build.")
final class DockerPkgBuild implements Callable<Integer> {
  @ParentCommand DockerPkgCommand parent;
  @Mixin GlobalOptions global;

  static final class Nightly {
    @Option(names = "--nightly", description = "Prepare a nightly build: versions get -YYYYMMDD.")
    boolean nightly;

    @Option(names = "--snapshot", description = "Create a snapshot build: versions get -YYYYMMDD-HHMMSS.")
    boolean snapshot;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1") Nightly nightly = new Nightly();

  @Option(names = "--use-cache", description = {"Take package steps from the step cache even when an image's version",
      "moved (by default, as docker-pkg without Docker's cache, a new version runs them again)."})
  boolean useCache;

  @Option(names = "--no-pull", description = "Do not look in the registry for images or bases (--pull=never).")
  boolean noPull;

  @Option(names = "--select", paramLabel = "GLOB", description = "Images whose registry/namespace/name:tag matches (fnmatch).")
  String select;

  @Option(names = "--progress", paramLabel = "auto|tty|plain|json",
      description = {"berth's own: show progress on stderr in this mode (see berth build --progress)",
          "instead of logging to ./" + DockerPkgCommand.LOG_FILE + "."})
  String progress;

  @Parameters(paramLabel = "DIRECTORY", description = "The directory to scan for images.")
  Path directory;

  @Override
  public Integer call() throws Exception {
    BuildListener log = progress == null ? parent.log() : ProgressOption.of(progress).listener(System.err);
    Path configFile = parent.config();
    DockerPkgConfig config = DockerPkgConfig.load(configFile);
    String suffix = DockerPkgCommand.versionSuffix(nightly.nightly, nightly.snapshot, LocalDateTime.now());
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.GZIP)
        .withVersionSuffix(suffix).withStepReuse(useCache ? StepReuse.ALWAYS : StepReuse.VERSIONED);
    TreeOptions options = new TreeOptions();
    options.tree = directory;
    options.dockerPkgConfig = configFile;
    options.pull = noPull ? "never" : "missing";
    options.registries = new RegistryOptions();
    boolean credentials = config.username() != null && !config.username().isEmpty()
        && config.password() != null && !config.password().isEmpty();
    if (credentials) {
      options.registries.creds = config.username() + ":" + config.password();
    }
    String registry = config.registry() == null || config.registry().isEmpty() ? null
        : config.namespace() == null || config.namespace().isEmpty() ? config.registry()
        : config.registry() + "/" + config.namespace();
    System.out.println("== Step 0: scanning " + directory.toAbsolutePath() + " ==");
    TreeBuild.RunResult result;
    Function<String, String> fullName = config::fullName;
    try (Session session = new Session(options.request(), global.openStore(), Builders.AUTO, log, settings);
         ContentStore.Lease lease = session.store.lease()) {
      ImageGraph graph = session.tree.graph();
      List<String> chosen = DockerPkgCommand.matching(graph, select, fullName, suffix);
      Optional<Publishing> publishing = registry == null ? Optional.empty()
          : Optional.of(new Publishing(registry, options.registries.clients(), session.store));
      Planner.RemoteCheck remote = noPull ? Planner.RemoteCheck.NONE
          : publishing.map(Publishing::remoteCheck).orElse(Planner.RemoteCheck.NONE);
      Plan plan = session.plan(false, remote, chosen.isEmpty() ? List.of() : graph.select(chosen));
      System.out.println("Will build the following images:");
      plan.images().stream().filter(item -> item.action() != Plan.Action.CACHED)
          .filter(item -> !dev.berth.dockerfile.DockerfileFrontend.isStage(item.name()))
          .forEach(item -> System.out.println("* " + DockerPkgCommand.label(graph, item.name(), fullName, suffix)));
      System.out.println("== Step 1: building images ==");
      TreeBuild run = new TreeBuild(session.build, session.journal, Runtime.getRuntime().availableProcessors(),
          Verifiers.runc(session.store, session.run, log,
              image -> DockerPkgCommand.label(graph, image.spec().name(), fullName, suffix),
              new TestScripts.Invocation(config.verifyCommand(), config.verifyArgs(),
                  config.verifyEnvironment(System.getenv("PATH")), true)),
          credentials ? publishing.map(target -> target.reporting(log).publisher()).orElse(null) : null, log)
          .debugging(global.debug)
          .fetching(publishing.map(Publishing::fetcher).orElse(TreeBuild.Fetcher.NONE));
      result = run.run(plan, false);
      for (TreeBuild.Result image : result.images()) {
        if (dev.berth.dockerfile.DockerfileFrontend.isStage(image.name()) && !image.state().isFailure()) {
          continue;
        }
        String label = DockerPkgCommand.label(graph, image.name(), fullName, suffix);
        if (image.state().isFailure()) {
          System.out.println(" ERROR: image " + fullName.apply(image.name()) + " failed to build: "
              + image.state().label() + ": " + image.cause());
        } else if (plan.images().stream().anyMatch(item -> item.name().equals(image.name())
            && item.action() == Plan.Action.BUILD)) {
          System.out.println("* Built image " + label);
        }
      }
      System.out.println("== Step 2: publishing ==");
      if (!credentials || registry == null) {
        System.out.println("NOT publishing images as we have no auth setup");
      } else {
        for (TreeBuild.Result image : result.images()) {
          if (image.references() != null && image.state() == dev.berth.plan.ImageState.PUBLISHED) {
            image.references().stream().filter(reference -> reference.contains(" already published"))
                .forEach(reference -> System.out.println("* " + reference));
            System.out.println("Successfully published image " + DockerPkgCommand.label(graph, image.name(), fullName, suffix));
          }
        }
      }
    }
    System.out.println("== Build done! ==");
    if (parent.logsToFile() && progress == null) {
      System.out.println("You can see the logs at ./" + DockerPkgCommand.LOG_FILE);
    }
    return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
