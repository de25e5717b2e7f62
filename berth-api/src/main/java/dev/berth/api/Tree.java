package dev.berth.api;

import dev.berth.api.publish.Publishing;
import dev.berth.api.tree.Session;
import dev.berth.api.tree.TreeRequest;
import dev.berth.api.tree.TreeRun;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.PullPolicy;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Descriptor;
import dev.berth.plan.Plan;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A tree of images a {@link Berth} works on: plan it, build it (with its checks), verify again,
 * or publish. Every run returns one typed result per image; events go to the Berth's listener.
 */
public abstract sealed class Tree permits Tree.FolderTree, Tree.SpecsTree {
  final Berth berth;

  private Tree(Berth berth) {
    this.berth = berth;
  }

  /** Opens the run's session: the tree read, the store, the journal, the builder. */
  abstract Session open(BuildSettings settings) throws IOException;

  /** Opens one platform's session of a multi-platform run over {@code tree} (as {@link #open} read it). */
  abstract dev.berth.api.tree.MultiPlatformRun multiPlatform(TreeScanner.Tree tree, dev.berth.oci.Platforms platforms,
      BuildSettings settings, Optional<Publishing> publishing) throws IOException;

  /**
   * What a build would do with each image, in build order; for a tree built for several platforms, with
   * each platform's image and then the image's index (see {@link PlannedImage#target}).
   */
  public List<PlannedImage> plan() throws IOException {
    try (Session session = open(settings())) {
      dev.berth.oci.Platforms platforms = dev.berth.graph.PlatformTrees.of(session.tree, Optional.empty());
      if (platforms.many()) {
        try (var multi = multiPlatform(session.tree, platforms, settings(), Optional.empty())) {
          List<dev.berth.api.tree.MultiPlatformRun.PlatformPlan> plans = multi.jobs(berth.jobs()).plan(false);
          return PlatformResults.plan(session.tree, platformsOf(multi), plans, multi.indexPlans(plans));
        }
      }
      Plan plan = run(session, Optional.empty(), null).plan(false);
      List<PlannedImage> out = new ArrayList<>();
      for (Plan.Item item : plan.images()) {
        out.add(new PlannedImage(item.name(), item.key(), item.action(), item.reason(), item.dependsOn(),
            single(session.tree, item.name(), platforms)));
      }
      return out;
    }
  }

  /** The one platform image {@code name} of a single-platform run is built for: its own, else the run's. */
  private static ImageTarget single(TreeScanner.Tree tree, String name, dev.berth.oci.Platforms run) {
    dev.berth.oci.Platform own = tree.graph().images().containsKey(name) ? tree.graph().spec(name).platform() : null;
    return new ImageTarget.Single(own != null ? own : run.first());
  }

  private static List<dev.berth.oci.Platform> platformsOf(dev.berth.api.tree.MultiPlatformRun multi) {
    return multi.parts().stream().map(dev.berth.api.tree.MultiPlatformRun.Part::platform).toList();
  }

  /** Builds what is not in the store, and runs the checks of what was not verified yet. */
  public RunResult build() throws IOException {
    return run(TreeBuild.Phase.BUILD, false);
  }

  /** Runs the checks of images already built, again (nothing is built). */
  public RunResult verify() throws IOException {
    return run(TreeBuild.Phase.VERIFY, false);
  }

  /** Builds, verifies and pushes to the registry; keys the registry has already are fetched, not built. */
  public RunResult publish() throws IOException {
    return run(TreeBuild.Phase.BUILD, true);
  }

  private RunResult run(TreeBuild.Phase phase, boolean push) throws IOException {
    Timings timings = new Timings();
    try (ContentStore.Lease lease = berth.store().lease(); Session session = open(settings())) {
      Optional<Publishing> publishing = Optional.empty();
      if (push) {
        publishing = Optional.of(berth.publishing(session.tree.config().registry()).orElseThrow(() ->
            new IllegalStateException("publishing needs a registry: Berth.registry(…), the spec's or berth.yaml's")));
      }
      dev.berth.oci.Platforms platforms = dev.berth.graph.PlatformTrees.of(session.tree, Optional.empty());
      if (platforms.many()) {
        try (var multi = multiPlatform(session.tree, platforms, settings(), publishing)) {
          return PlatformResults.of(session.tree, platformsOf(multi), multi.jobs(berth.jobs()).run(phase, false),
              session.store);
        }
      }
      TreeBuild.RunResult result = run(session, publishing, timings).run(phase, false);
      List<ImageResult> images = new ArrayList<>();
      for (TreeBuild.Result image : result.images()) {
        Descriptor stored = image.key() == null || image.state().isFailure() ? null
            : session.store.resolve(image.name() + ":" + image.key()).orElse(null);
        images.add(new ImageResult(image.name(), image.state(), image.key(), stored == null ? null : stored.digest(),
            image.reason(), image.cause(), image.references(), image.dependsOn(), timings.build(image.name()),
            timings.verify(image.name()), single(session.tree, image.name(), platforms)));
      }
      return new RunResult(images);
    }
  }

  private TreeRun run(Session session, Optional<Publishing> publishing, Timings timings) {
    return new TreeRun(session, publishing, timings == null ? berth.listener() : berth.listener().and(timings))
        .jobs(berth.jobs());
  }

  private BuildSettings settings() {
    return BuildSettings.fromEnvironment(System.getenv(), berth.compression());
  }

  /** A tree of image folders, read as {@code berth build TREE} reads it. */
  static final class FolderTree extends Tree {
    private final Path root;

    FolderTree(Berth berth, Path root) {
      super(berth);
      this.root = root;
    }

    @Override
    Session open(BuildSettings settings) throws IOException {
      TreeRequest request = new TreeRequest(root, List.of(), null, berth.pullPolicy(), java.util.Map.of(), null,
          List.of(), null, null, java.util.Map.of(), berth.registryClients());
      return new Session(request, berth.store(), berth.builderName(), berth.listener(), settings);
    }

    @Override
    dev.berth.api.tree.MultiPlatformRun multiPlatform(TreeScanner.Tree tree, dev.berth.oci.Platforms platforms,
        BuildSettings settings, Optional<Publishing> publishing) throws IOException {
      TreeRequest request = new TreeRequest(root, List.of(), null, berth.pullPolicy(), java.util.Map.of(), null,
          List.of(), null, null, java.util.Map.of(), berth.registryClients());
      return dev.berth.api.tree.MultiPlatformRun.of(request, tree, platforms, berth.store(), berth.builderName(),
          settings, publishing, berth.listener());
    }
  }

  /** Specs and the specs they are based on. */
  static final class SpecsTree extends Tree {
    private final List<ImageSpec> specs;

    SpecsTree(Berth berth, List<ImageSpec> specs) {
      super(berth);
      this.specs = List.copyOf(specs);
    }

    @Override
    Session open(BuildSettings settings) throws IOException {
      String registry = specs.stream().map(ImageSpec::registry).filter(java.util.Objects::nonNull).findFirst()
          .orElse(null);
      TreeScanner.Tree tree = SpecTree.of(specs, berth.workDirectory(), registry);
      var access = new dev.berth.api.publish.Registries(berth.registryClients(), berth.store(), List.of(),
          berth.listener());
      return new Session(tree, berth.store(), access, PullPolicy.parse(berth.pullPolicy()), List.of(),
          berth.builderName(), berth.listener(), settings);
    }

    @Override
    dev.berth.api.tree.MultiPlatformRun multiPlatform(TreeScanner.Tree tree, dev.berth.oci.Platforms platforms,
        BuildSettings settings, Optional<Publishing> publishing) throws IOException {
      var access = new dev.berth.api.publish.Registries(berth.registryClients(), berth.store(), List.of(),
          berth.listener());
      return new dev.berth.api.tree.MultiPlatformRun(tree, platforms, (platform, shape) -> new Session(
          shape.apply(tree), berth.store(), access, PullPolicy.parse(berth.pullPolicy()), List.of(),
          berth.builderName(), berth.listener(), settings, platform), publishing, berth.listener());
    }
  }
}
