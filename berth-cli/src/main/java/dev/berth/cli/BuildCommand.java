package dev.berth.cli;

import dev.berth.engine.BuildException;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.StepReuse;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.layer.Compression;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.plan.ImageState;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
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
class BuildCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;

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

  @Mixin BuildFiles buildFiles;

  private String format = "text";

  @Override
  public Integer call() throws Exception {
    List<ImageOutput> targets = new ArrayList<>();
    for (String output : outputs) {
      if (output.equals("json") || output.equals("text")) {
        format = output;
      } else {
        targets.add(ImageOutput.parse(output));
      }
    }
    if (jobs != null && jobs < 1) {
      throw new UsageException("-j must be at least 1, not " + jobs);
    }
    buildFiles.check();
    Progress progress = new Progress(System.err);
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.parse(compression));
    Session session = new Session(treeOptions, global, builder, progress::line,
        force ? settings.withStepReuse(StepReuse.NEVER) : settings);
    if (!targets.isEmpty() && requested(session).size() != 1) {
      throw new UsageException("--output writes one image; --select exactly one (the tree has "
          + requested(session).size() + " selected)");
    }
    buildFiles.checkImages(requested(session));
    int parallel = jobs != null ? jobs : session.tree.config().jobs() != null ? session.tree.config().jobs()
        : Runtime.getRuntime().availableProcessors();
    TreeBuild.RunResult result;
    try (ContentStore.Lease lease = session.store.lease(); session;
         Interruption onSignal = Interruption.install(session.run, session.journal, session.store)) {
      Optional<Publishing> publishing = push
          ? Optional.of(Publishing.from(registry, session.tree.config().registry(), treeOptions.registries, session.store)
              .orElseThrow(() -> new UsageException("--push needs a registry: berth.yaml's registry or --registry")))
          : Optional.empty();
      Plan plan = session.plan(force, publishing.map(Publishing::remoteCheck).orElse(Planner.RemoteCheck.NONE));
      refuseInvalid(plan, session);
      TreeBuild run = new TreeBuild(session.build, session.journal, parallel, Verifiers.runc(session.store, session.run, progress::line),
          publishing.map(Publishing::publisher).orElse(null), progress::line)
          .debugging(global.debug)
          .fetching(publishing.map(Publishing::fetcher).orElse(TreeBuild.Fetcher.NONE))
          .phase(phase());
      result = run.run(plan, force);
      if (load) {
        loadIntoEngine(session, result, progress);
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
    return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /**
   * Images that could not even be planned (a missing or hostile input, an unusable base): nothing is
   * built, pulled or pushed, the journal records why, and berth stops with the first of them.
   */
  private static void refuseInvalid(Plan plan, Session session) {
    List<Plan.Item> invalid = plan.images().stream().filter(item -> item.action() == Plan.Action.FAILED).toList();
    if (invalid.isEmpty()) {
      return;
    }
    for (Plan.Item item : invalid) {
      session.journal.transition(item.name(), ImageState.FAILED, item.key(), null, item.reason());
    }
    Plan.Item first = invalid.get(0);
    throw new BuildException(first.name() + ": " + first.reason() + (invalid.size() == 1 ? ""
        : " (and " + (invalid.size() - 1) + " more image" + (invalid.size() == 2 ? "" : "s") + " cannot be built)"));
  }

  /** The phase this command runs; verify and publish override it. */
  TreeBuild.Phase phase() {
    return TreeBuild.Phase.BUILD;
  }

  private void loadIntoEngine(Session session, TreeBuild.RunResult result, Progress progress) throws Exception {
    DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
    if (!engine.available()) {
      throw new IllegalStateException("--load: no Docker engine answers at " + engine.address());
    }
    for (TreeBuild.Result image : result.images()) {
      if (image.state().isFailure() || !requested(session).contains(image.name())) {
        continue;
      }
      Descriptor manifest = session.store.resolve(image.name() + ":" + image.key()).orElseThrow().withoutAnnotations();
      List<String> names = new ArrayList<>();
      names.add(image.name() + ":" + image.key());
      for (String reference : image.references() == null ? List.<String>of() : image.references()) {
        if (!reference.contains("@") && !names.contains(reference)) {
          names.add(reference);
        }
      }
      var outcome = new dev.berth.engine.KeyedBuild.Outcome(null, null, manifest, names, false, null);
      progress.line(image.name() + ": loaded into the engine as " + String.join(", ",
          TestScripts.load(session.store, outcome, engine)));
    }
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
