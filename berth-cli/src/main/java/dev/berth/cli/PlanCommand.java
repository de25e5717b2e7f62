package dev.berth.cli;

import dev.berth.api.publish.Publishing;
import dev.berth.api.tree.Session;
import dev.berth.api.tree.TreeRun;
import dev.berth.layer.Compression;
import dev.berth.oci.Json;
import dev.berth.plan.Plan;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth plan [TREE]}: what a build would do, and why, without doing it. */
@Command(name = "plan", description = "Show what would be built, and why.")
final class PlanCommand implements Callable<Integer>, Replayable {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;
  @Mixin ProgressOption progressOption;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--force", description = "Plan as if nothing were in the store.")
  boolean force;

  @Option(names = "--push", description = "Plan a publishing run: keys already in the registry count as present.")
  boolean push;

  @Option(names = "--registry", paramLabel = "HOST[:PORT][/NAMESPACE]",
      description = "The registry of --push (default: berth.yaml's registry).")
  String registry;

  @Option(names = "--compression", defaultValue = "gzip", description = "Layer compression the build would use (it is part of the key).")
  String compression;

  @Option(names = "--affected-by", paramLabel = "NAME[@[<]VERSION]",
      description = "Plan berth build --affected-by: the images holding this package, and why.")
  String affectedBy;

  private Optional<dev.berth.cli.replay.ReplayInputs> replayInputs = Optional.empty();

  @Override
  public Optional<dev.berth.cli.replay.ReplayInputs> replayInputs() {
    return replayInputs;
  }

  @Override
  public Integer call() throws Exception {
    dev.berth.event.BuildListener events = progressOption.warnings(System.err);
    Plan plan;
    try (Session session = new Session(treeOptions.request(), global.openStore(), Compression.parse(compression), events)) {
      NoOpRun noOp = NoOpRun.begin(session.tree.root());
      Optional<Publishing> publishing = push
          ? Optional.of(Publishing.from(registry, session.tree.config().registry(), treeOptions.registries.clients(),
              session.store)
              .orElseThrow(() -> new UsageException("--push needs a registry: berth.yaml's registry or --registry")))
          : Optional.empty();
      dev.berth.oci.Platforms platforms = dev.berth.graph.PlatformTrees.of(session.tree, treeOptions.platforms());
      if (platforms.many()) {
        return planPlatforms(session, platforms, publishing, events);
      }
      plan = new TreeRun(session, publishing, events)
          .affectedBy(Optional.ofNullable(affectedBy).map(AffectedCommand::query)).plan(force);
      // a plan's reasons read what the journal says was last built: its files are inputs too
      java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>(treeOptions.filesOutsideTree(session.store));
      files.add(dev.berth.plan.Journal.logFile(session.tree.root()));
      files.add(dev.berth.plan.Journal.snapshotFile(session.tree.root()));
      replayInputs = noOp.inputs(!push && affectedBy == null && !treeOptions.labelGit && !treeOptions.pull.equals("always")
          && !treeOptions.registries.clients().used() && !NoOpRun.readsOutsideTree(session.tree.graph()), files);
    }
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(plan), StandardCharsets.UTF_8));
    } else {
      for (Plan.Item item : plan.images()) {
        System.out.printf("%-8s %-40s %-24s %s%n", item.action().label(), item.name(),
            item.key() == null ? "-" : item.key(), item.reason());
      }
      System.out.printf("%d to build, %d cached, %d failed, %d blocked%n", plan.count(Plan.Action.BUILD),
          plan.count(Plan.Action.CACHED), plan.count(Plan.Action.FAILED), plan.count(Plan.Action.BLOCKED));
    }
    return plan.count(Plan.Action.FAILED) + plan.count(Plan.Action.BLOCKED) == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }

  /** Each platform's plan: in JSON {@code {"platforms": [{"platform", "images": [...]}]}}. */
  private int planPlatforms(Session session, dev.berth.oci.Platforms platforms, Optional<Publishing> publishing,
      dev.berth.event.BuildListener events) throws java.io.IOException {
    java.util.List<dev.berth.api.tree.MultiPlatformRun.PlatformPlan> plans;
    java.util.List<dev.berth.api.tree.IndexPlan> indexes;
    try (var run = dev.berth.api.tree.MultiPlatformRun.of(treeOptions.request(), session.tree, platforms,
        session.store, dev.berth.engine.ImageBuilder.NAME, session.settings, publishing, events)) {
      plans = run.affectedBy(Optional.ofNullable(affectedBy).map(AffectedCommand::query)).plan(force);
      indexes = run.indexPlans(plans);
    }
    long failed = 0;
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(java.util.Map.of("platforms", plans, "indexes", indexes)),
          StandardCharsets.UTF_8));
    }
    for (var part : plans) {
      Plan plan = new Plan(part.images());
      failed += plan.count(Plan.Action.FAILED) + plan.count(Plan.Action.BLOCKED);
      if (output.equals("json")) {
        continue;
      }
      for (Plan.Item item : plan.images()) {
        System.out.printf("%-8s %-40s %-12s %-24s %s%n", item.action().label(), item.name(), part.platform(),
            item.key() == null ? "-" : item.key(), item.reason());
      }
      System.out.printf("%s: %d to build, %d cached, %d failed, %d blocked%n", part.platform(),
          plan.count(Plan.Action.BUILD), plan.count(Plan.Action.CACHED), plan.count(Plan.Action.FAILED),
          plan.count(Plan.Action.BLOCKED));
    }
    if (!output.equals("json")) {
      for (dev.berth.api.tree.IndexPlan index : indexes) {
        System.out.printf("%-8s %-40s %-12s %-24s %s%n", index.action().label(), index.name(), "index",
            index.key() == null ? "-" : index.key(), index.reason());
      }
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
