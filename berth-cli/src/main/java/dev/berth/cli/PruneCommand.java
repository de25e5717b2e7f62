package dev.berth.cli;

import dev.berth.api.tree.Session;
import dev.berth.api.tree.TreePrune;
import dev.berth.layer.Compression;
import dev.berth.plan.Prune;
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
    try (Session session = new Session(treeOptions.request(), global.openStore(), Compression.parse(compression),
        EventLines.warnings(System.err))) {
      TreePrune.Result result = TreePrune.prune(session, keep, !noEngine);
      Prune.Report report = result.store();
      report.removedTags().forEach(tag -> System.out.println("untagged " + tag));
      System.out.printf("removed %d tags, %d blobs, %d step-cache entries, %d snapshots; freed %d bytes%n",
          report.removedTags().size(), report.removedBlobs(), report.removedStepEntries(), report.removedSnapshots(),
          report.bytesFreed());
      result.engine().ifPresent(engine -> {
        engine.names().forEach(name -> System.out.println("engine: " + (name.inUse() ? "kept, in use: " : "removed ")
            + name.reference()));
        System.out.printf("removed %d images from the Docker engine at %s%n", engine.removed(), engine.address());
      });
    }
    return ExitCodes.OK;
  }
}
