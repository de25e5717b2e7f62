package dev.berth.api.tree;

import dev.berth.api.build.Builders;

import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.FileDigestCache;
import dev.berth.engine.InputCollector;
import dev.berth.engine.KeyedBuild;
import dev.berth.engine.PullPolicy;
import dev.berth.engine.RegistryAccess;
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
import java.util.List;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/** What a tree command works with: the scanned tree, the store, the journal, the engine. */
public final class Session implements AutoCloseable {
  public final TreeScanner.Tree tree;
  public final ContentStore store;
  /** Where this process's steps and checks work; opening it reaps what dead berth processes left. */
  public final RunDirectory run;
  public final Journal journal;
  public final BuildSettings settings;
  public final KeyedBuild build;
  public final List<String> selection;
  private final FileDigestCache digests;

  /** A session for commands that build nothing themselves (plan, prune): the native builder is never started. */
  public Session(TreeRequest options, ContentStore store, Compression compression, BuildListener progress)
      throws IOException {
    this(options, store, compression, dev.berth.engine.ImageBuilder.NAME, progress);
  }

  /** @param builder the builder {@code --builder} names ({@code auto}, native or docker) */
  public Session(TreeRequest options, ContentStore store, Compression compression, String builder,
      BuildListener progress) throws IOException {
    this(options, store, builder, progress, BuildSettings.fromEnvironment(System.getenv(), compression));
  }

  /** @param settings the run's build settings (step reuse, version suffix) */
  public Session(TreeRequest options, ContentStore store, String builder, BuildListener progress,
      BuildSettings settings) throws IOException {
    this(options, options.scan(progress, store), store, builder, progress, settings);
  }

  private Session(TreeRequest options, TreeScanner.Tree tree, ContentStore store, String builder,
      BuildListener progress, BuildSettings settings) throws IOException {
    this(tree, store, options.registries(tree.config(), store, progress), PullPolicy.parse(options.pull()),
        options.select(), builder, progress, settings);
  }

  /**
   * A session over a tree made some other way than by scanning folders (the API's specs).
   *
   * @param registries where bases outside the tree are looked up and pulled
   * @param select globs of the images the run is about (empty: all)
   * @param builder {@code auto}, or a builder's name
   */
  public Session(TreeScanner.Tree tree, ContentStore store, RegistryAccess registries, PullPolicy pull,
      List<String> select, String builder, BuildListener progress, BuildSettings settings) throws IOException {
    this(tree, store, registries, pull, select, builder, progress, settings,
        Journal.open(tree.root(), Clock.systemUTC()));
  }

  /**
   * One platform's part of a multi-platform run: the tree scanned for {@code platform} (its Dockerfiles'
   * TARGETPLATFORM is that one), shaped by {@code shape} (see {@link PlatformTrees}), journaled apart.
   */
  public Session(TreeRequest options, ContentStore store, String builder, BuildListener progress,
      BuildSettings settings, Platform platform, java.util.function.UnaryOperator<TreeScanner.Tree> shape)
      throws IOException {
    this(options.withPlatform(platform.toString()), shape.apply(options.withPlatform(platform.toString())
        .scan(progress, store)), store, builder, progress, settings, platform);
  }

  private Session(TreeRequest options, TreeScanner.Tree tree, ContentStore store, String builder,
      BuildListener progress, BuildSettings settings, Platform platform) throws IOException {
    this(tree, store, options.registries(tree.config(), store, progress), PullPolicy.parse(options.pull()),
        options.select(), builder, progress, settings, Journal.open(tree.root(), platform, Clock.systemUTC()));
  }

  /** As the session over a tree made some other way, for {@code platform}'s part of a multi-platform run. */
  public Session(TreeScanner.Tree tree, ContentStore store, RegistryAccess registries, PullPolicy pull,
      List<String> select, String builder, BuildListener progress, BuildSettings settings, Platform platform)
      throws IOException {
    this(tree, store, registries, pull, select, builder, progress, settings,
        Journal.open(tree.root(), platform, Clock.systemUTC()));
  }

  private Session(TreeScanner.Tree tree, ContentStore store, RegistryAccess registries, PullPolicy pull,
      List<String> select, String builder, BuildListener progress, BuildSettings settings, Journal journal)
      throws IOException {
    this.store = store;
    this.tree = tree;
    this.run = RunDirectory.open(store.root(), "runc");
    this.journal = journal;
    this.settings = settings;
    this.digests = FileDigestCache.open(tree.root().resolve(".berth").resolve("digests"));
    BaseResolver resolver = new BaseResolver(store, Path.of("").toAbsolutePath(), pull, registries, progress);
    this.build = new KeyedBuild(store, settings, resolver, digests,
        Builders.choose(builder, store, run, settings, progress))
        .afterBuild(new dev.berth.sbom.Attestations(store).writer(dev.berth.sbom.SbomFormat.SPDX));
    this.selection = tree.graph().select(select);
  }

  public Plan plan(boolean force, Planner.RemoteCheck remote) {
    return plan(force, remote, selection);
  }

  /** Plans {@code images} (in build order, with the images they need) instead of the options' selection. */
  public Plan plan(boolean force, Planner.RemoteCheck remote, List<String> images) {
    return new Planner(build, journal, remote).plan(tree.graph(), images, force);
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
