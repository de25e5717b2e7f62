package dev.berth.cli;

import dev.berth.api.tree.Session;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.layer.Compression;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.plan.Prune;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth prune [TREE]}: drop superseded images of the tree from the store. */
@Command(name = "prune", description = {
    "Remove the tree's superseded images from the store (tags no current key reaches, then unreachable blobs",
    "and step-cache entries), and the Docker engine's images berth made for it (superseded key tags, loaded bases).",
    "Names berth did not make for this tree are never touched."})
final class PruneCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;

  @Option(names = "--keep", defaultValue = "1", paramLabel = "N",
      description = "Keep the N most recent builds of each image, the current one included (default: ${DEFAULT-VALUE}).")
  int keep;

  @Option(names = "--no-engine", description = "Leave the Docker engine alone (by default its images berth made are pruned too).")
  boolean noEngine;

  @Option(names = "--compression", defaultValue = "gzip", description = "The compression builds use (it is part of the key).")
  String compression;

  @Override
  public Integer call() throws Exception {
    try (Session session = new Session(treeOptions.request(), global.openStore(), Compression.parse(compression), EventLines.warnings(System.err))) {
      Plan plan = session.plan(false, Planner.RemoteCheck.NONE);
      Map<String, String> current = new LinkedHashMap<>();
      for (Plan.Item item : plan.images()) {
        if (item.key() == null) {
          throw new IllegalStateException("cannot work out the current key of " + item.name() + ": " + item.reason()
              + "; prune keeps everything until the tree plans cleanly");
        }
        current.put(item.name(), item.key());
      }
      Map<String, List<String>> history = Prune.history(session.journal);
      Prune prune = new Prune(session.store);
      Prune.Report report = prune.prune(current, history, keep);
      report.removedTags().forEach(tag -> System.out.println("untagged " + tag));
      System.out.printf("removed %d tags, %d blobs, %d step-cache entries, %d snapshots; freed %d bytes%n",
          report.removedTags().size(), report.removedBlobs(), report.removedStepEntries(), report.removedSnapshots(),
          report.bytesFreed());
      DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
      if (!noEngine && engine.available()) {
        List<Prune.EngineName> names = prune.pruneEngine(engine, current, history, keep);
        names.forEach(name -> System.out.println("engine: " + (name.inUse() ? "kept, in use: " : "removed ") + name.reference()));
        System.out.printf("removed %d images from the Docker engine at %s%n",
            names.stream().filter(name -> !name.inUse()).count(), engine.address());
      }
    }
    return ExitCodes.OK;
  }
}
