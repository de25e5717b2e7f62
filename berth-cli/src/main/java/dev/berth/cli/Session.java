package dev.berth.cli;

import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.FileDigestCache;
import dev.berth.engine.InputCollector;
import dev.berth.engine.KeyedBuild;
import dev.berth.engine.PullPolicy;
import dev.berth.graph.TreeScanner;
import dev.berth.layer.Compression;
import dev.berth.oci.Platform;
import dev.berth.plan.Journal;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** What a tree command works with: the scanned tree, the store, the journal, the engine. */
final class Session implements AutoCloseable {
  static final Duration STEP_TIMEOUT = Duration.ofMinutes(30);

  final TreeScanner.Tree tree;
  final ContentStore store;
  /** Where this process's steps and checks work; opening it reaps what dead berth processes left. */
  final RunDirectory run;
  final Journal journal;
  final BuildSettings settings;
  final KeyedBuild build;
  final List<String> selection;
  private final FileDigestCache digests;

  /** A session for commands that build nothing themselves (plan, prune): the native builder is never started. */
  Session(TreeOptions options, GlobalOptions global, Compression compression, Consumer<String> progress)
      throws IOException {
    this(options, global, compression, dev.berth.engine.ImageBuilder.NAME, progress);
  }

  /** @param builder the builder {@code --builder} names ({@code auto}, native or docker) */
  Session(TreeOptions options, GlobalOptions global, Compression compression, String builder,
      Consumer<String> progress) throws IOException {
    this(options, global, builder, progress, BuildSettings.fromEnvironment(System.getenv(), compression));
  }

  /** @param settings the run's build settings (step reuse, version suffix) */
  Session(TreeOptions options, GlobalOptions global, String builder, Consumer<String> progress,
      BuildSettings settings) throws IOException {
    this.store = global.openStore();
    this.tree = options.scan(progress, store);
    this.run = RunDirectory.open(store.root(), "runc");
    this.journal = Journal.open(tree.root(), Clock.systemUTC());
    this.settings = settings;
    this.digests = FileDigestCache.open(tree.root().resolve(".berth").resolve("digests"));
    BaseResolver resolver = new BaseResolver(store, Path.of("").toAbsolutePath(), PullPolicy.parse(options.pull),
        options.registries(tree.config(), store, progress), warning -> progress.accept("warning: " + warning));
    this.build = new KeyedBuild(store, settings, resolver, digests,
        Builders.choose(builder, store, run, settings, progress))
        .afterBuild(new dev.berth.sbom.Attestations(store).writer(dev.berth.sbom.SbomFormat.SPDX));
    this.selection = tree.graph().select(options.select);
  }

  Plan plan(boolean force, Planner.RemoteCheck remote) {
    return plan(force, remote, selection);
  }

  /** Plans {@code images} (in build order, with the images they need) instead of the options' selection. */
  Plan plan(boolean force, Planner.RemoteCheck remote, List<String> images) {
    return new Planner(build, journal, remote).plan(tree.graph(), images, force);
  }

  /** A progress sink for commands that build nothing: only warnings reach stderr. */
  static void warningsOnly(String line) {
    if (line.startsWith("warning: ")) {
      System.err.println(line);
    }
  }

  /** Saves the journal's snapshot and the digest cache, and removes the run directory. */
  @Override
  public void close() throws IOException {
    try (run) {
      journal.close();
    } finally {
      digests.save();
    }
  }
}
