package dev.berth.cli;

import dev.berth.api.build.Builders;
import dev.berth.api.publish.Publishing;
import dev.berth.api.transfer.ImageOutput;
import dev.berth.api.tree.Interruption;
import dev.berth.api.tree.Session;
import dev.berth.api.tree.TreeRun;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.StepReuse;
import dev.berth.layer.Compression;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.plan.ImageState;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth build [TREE]}: build what changed, in dependency order, several at once. */
@Command(name = "build", description = {
    "Build the images of a tree into the local store, each tagged with its content key.",
    "Images whose key is already in the store are not built again."})
class BuildCommand implements Callable<Integer>, Replayable {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;
  @Mixin WorkerOptions workerOptions;
  @Mixin ProgressOption progressOption;

  @Option(names = {"-j", "--jobs"}, paramLabel = "N",
      description = "Images built at once (default: berth.yaml's jobs, else the number of cores).")
  Integer jobs;

  @Option(names = "--output", paramLabel = "json|text|oci:DIR[:TAG]|docker-archive:FILE",
      description = {"json or text: how to print the final state table (default: text).",
          "oci:DIR[:TAG] or docker-archive:FILE: also write the (single) selected image there (repeatable)."})
  List<String> outputs = new ArrayList<>();

  @Option(names = "--compression", defaultValue = "gzip",
      description = "Layer compression: gzip, zstd or none (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--force", description = {"Build even when the content key is already in the store,",
      "and run every step again (nothing from the step cache)."})
  boolean force;

  @Option(names = "--push", description = "Publish verified images (key tag and tags:) to the registry.")
  boolean push;

  @Option(names = "--load", description = "Also load the selected images into the Docker engine (docker load, over its socket).")
  boolean load;

  @Option(names = "--builder", defaultValue = Builders.AUTO, paramLabel = "auto|native|docker",
      description = {"native (runc, no daemon) or docker (the engine's builder over its socket);",
          "auto: the first available one, see berth builders (default: ${DEFAULT-VALUE})."})
  String builder;

  @Option(names = "--registry", paramLabel = "HOST[:PORT][/NAMESPACE]",
      description = "Where --push publishes (default: berth.yaml's registry).")
  String registry;

  @Option(names = "--sbom", defaultValue = "spdx", paramLabel = "spdx|cyclonedx|none",
      description = {"The format of the SBOM attached with the provenance to each image built;",
          "none: neither (default: ${DEFAULT-VALUE})."})
  String sbomFormat;

  @Option(names = "--affected-by", paramLabel = "NAME[@[<]VERSION]",
      description = {"Rebuild the images whose SBOM holds this package (and those built on them),",
          "running their apt/pip/run steps afresh; see berth affected."})
  String affectedBy;

  @Mixin BuildFiles buildFiles;

  private String format = "text";
  private Optional<dev.berth.cli.replay.ReplayInputs> replayInputs = Optional.empty();

  @Override
  public Optional<dev.berth.cli.replay.ReplayInputs> replayInputs() {
    return replayInputs;
  }

  @Override
  public Integer call() throws Exception {
    dev.berth.event.BuildListener progress = progressOption.listener(System.err);
    List<ImageOutput> targets = new ArrayList<>();
    for (String output : outputs) {
      if (output.equals("json") || output.equals("text")) {
        format = output;
      } else {
        targets.add(parseOutput(output));
      }
    }
    if (jobs != null && jobs < 1) {
      throw new UsageException("-j must be at least 1, not " + jobs);
    }
    Optional<dev.berth.sbom.SbomFormat> sbom = sbomFormat();
    buildFiles.check();
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.parse(compression));
    Session session = new Session(treeOptions.request(), global.openStore(), builder, progress,
        force || affectedBy != null ? settings.withStepReuse(StepReuse.NEVER) : settings);
    session.build.afterBuild(sbom.map(format -> new dev.berth.sbom.Attestations(session.store).writer(format))
        .orElse(dev.berth.engine.KeyedBuild.AfterBuild.NONE));
    dev.berth.oci.Platforms platforms = dev.berth.graph.PlatformTrees.of(session.tree, treeOptions.platforms());
    if (!targets.isEmpty() && requested(session).size() != 1) {
      session.close();
      throw new UsageException("--output writes one image; --select exactly one (the tree has "
          + requested(session).size() + " selected)");
    }
    if (platforms.many()) {  // one run per platform, then an index per image
      session.close();
      if (!workerOptions.workers.isEmpty() || !session.tree.config().workers().isEmpty()) {
        throw new UsageException("workers are not available with several platforms (" + platforms + ") yet");
      }
      for (ImageOutput target : targets) {
        if (!target.holdsIndexes()) {
          throw new UsageException("--output " + target + " holds one platform's image, not an index over "
              + platforms + ": use oci:DIR[:TAG], or one --platform");
        }
      }
      return new PlatformBuild(treeOptions, global, progress, format).run(session.tree, platforms, builder,
          session.settings, sbom, phase(), force, push, registry, jobs,
          new PlatformBuild.Outputs(requested(session), targets, load),
          Optional.ofNullable(affectedBy).map(AffectedCommand::query));
    }
    buildFiles.checkImages(requested(session));
    NoOpRun noOp = NoOpRun.begin(session.tree.root());
    int parallel = jobs != null ? jobs : session.tree.config().jobs() != null ? session.tree.config().jobs()
        : Runtime.getRuntime().availableProcessors();
    dev.berth.fleet.Fleet fleet = workerOptions.connect(session.tree.config(), treeOptions.registries.insecure,
        jobs != null ? jobs : 2, progress);
    push |= fleet != null;  // a fleet shares its work through the registry
    TreeBuild.RunResult result;
    try (ContentStore.Lease lease = session.store.lease(); session;
         Interruption onSignal = Interruption.install(session, InterruptionReport::print)) {
      Optional<Publishing> publishing = push
          ? Optional.of(Publishing.from(registry, session.tree.config().registry(), treeOptions.registries.clients(),
              session.store)
              .orElseThrow(() -> new UsageException("--push needs a registry: berth.yaml's registry or --registry")))
          : Optional.empty();
      TreeRun run = new TreeRun(session, publishing, progress).jobs(parallel).debugging(global.debug)
          .affectedBy(Optional.ofNullable(affectedBy).map(AffectedCommand::query));
      result = fleet == null ? run.run(phase(), force) : run.runOnFleet(fleet, force);
      if (load) {
        new TreeRun(session, Optional.empty(), progress).load(result, requested(session));
      }
      for (TreeBuild.Result image : result.images()) {
        if (!targets.isEmpty() && requested(session).contains(image.name()) && !image.state().isFailure()) {
          String keyName = image.name() + ":" + image.key();
          Descriptor manifest = session.store.resolve(keyName).orElseThrow();
          for (ImageOutput target : targets) {
            target.write(session.store, manifest.withoutAnnotations(), keyName);
          }
        }
      }
      buildFiles.write(result, requested(session), session.store);
    }
    print(result);
    boolean changedNothing = phase() == TreeBuild.Phase.BUILD && targets.isEmpty() && !force && affectedBy == null
        && fleet == null && !push && !load && buildFiles.none() && !treeOptions.labelGit
        && !treeOptions.pull.equals("always") && !treeOptions.registries.clients().used()
        && !NoOpRun.readsOutsideTree(session.tree.graph())
        && result.images().stream().allMatch(image -> image.state() == ImageState.CACHED);
    replayInputs = noOp.inputs(changedNothing, treeOptions.filesOutsideTree(session.store));
    return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private Optional<dev.berth.sbom.SbomFormat> sbomFormat() {
    return switch (sbomFormat) {
      case "spdx" -> Optional.of(dev.berth.sbom.SbomFormat.SPDX);
      case "cyclonedx" -> Optional.of(dev.berth.sbom.SbomFormat.CYCLONEDX);
      case "none" -> Optional.empty();
      default -> throw new UsageException("invalid --sbom '" + sbomFormat + "': spdx, cyclonedx or none");
    };
  }

  /** An --output target; a bad one is a usage error. */
  static ImageOutput parseOutput(String text) {
    try {
      return ImageOutput.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** The phase this command runs; verify and publish override it. */
  TreeBuild.Phase phase() {
    return TreeBuild.Phase.BUILD;
  }

  /** The selected images, without Dockerfile build stages (they are built, never written or published). */
  private List<String> requested(Session session) {
    return session.tree.graph().matching(treeOptions.select).stream()
        .filter(name -> !dev.berth.dockerfile.DockerfileFrontend.isStage(name)).toList();
  }

  private void print(TreeBuild.RunResult result) {
    if (format.equals("json")) {
      System.out.println(new String(Json.pretty(result), StandardCharsets.UTF_8));
      return;
    }
    for (TreeBuild.Result image : result.images()) {
      if (image.state() == ImageState.FAILED || image.state() == ImageState.BLOCKED) {
        System.out.printf("%-10s %s  %s%n", image.state().label(), image.name(), image.cause());
      } else {
        System.out.printf("%-10s %s:%s%n", image.state().label(), image.name(), image.key());
      }
    }
  }
}
