package dev.berth.api;

import dev.berth.api.tree.IndexPlan;
import dev.berth.api.tree.MultiPlatformRun;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import dev.berth.plan.Plan;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multi-platform plan or run as the API's results: per image, in build order, one result per platform
 * it is built for ({@link ImageTarget.Single}), then its index when it has one ({@link ImageTarget.Index}).
 */
final class PlatformResults {
  private PlatformResults() {}

  /** {@code plans[i]} is the plan of {@code platforms[i]}. */
  static List<PlannedImage> plan(TreeScanner.Tree tree, List<Platform> platforms,
      List<MultiPlatformRun.PlatformPlan> plans, List<IndexPlan> indexes) {
    List<PlannedImage> out = new ArrayList<>();
    for (String name : tree.graph().order()) {
      List<String> dependsOn = List.of();
      for (int i = 0; i < platforms.size(); i++) {
        for (Plan.Item item : plans.get(i).images()) {
          if (item.name().equals(name)) {
            dependsOn = item.dependsOn();
            out.add(new PlannedImage(name, item.key(), item.action(), item.reason(), item.dependsOn(),
                new ImageTarget.Single(platforms.get(i))));
          }
        }
      }
      for (IndexPlan index : indexes) {
        if (index.name().equals(name)) {
          out.add(new PlannedImage(name, index.key(), index.action(), index.reason(), dependsOn,
              new ImageTarget.Index(index.platforms())));
        }
      }
    }
    return out;
  }

  /** {@code run.platforms()[i]} is the run of {@code platforms[i]}. */
  static RunResult of(TreeScanner.Tree tree, List<Platform> platforms, MultiPlatformRun.Result run, ContentStore store)
      throws IOException {
    List<ImageResult> out = new ArrayList<>();
    for (String name : tree.graph().order()) {
      List<Platform> built = new ArrayList<>();
      List<String> dependsOn = List.of();
      for (int i = 0; i < platforms.size(); i++) {
        for (TreeBuild.Result image : run.platforms().get(i).images()) {
          if (image.name().equals(name)) {
            built.add(platforms.get(i));
            dependsOn = image.dependsOn();
            Digest stored = image.key() == null || image.state().isFailure() ? null
                : store.resolve(name + ":" + image.key()).map(dev.berth.oci.Descriptor::digest).orElse(null);
            out.add(new ImageResult(name, image.state(), image.key(), stored, image.reason(), image.cause(),
                image.references(), image.dependsOn(), null, null, new ImageTarget.Single(platforms.get(i))));
          }
        }
      }
      Optional<MultiPlatformRun.IndexResult> index = run.indexes().stream()
          .filter(each -> each.name().equals(name)).findFirst();
      if (index.isPresent()) {
        MultiPlatformRun.IndexResult made = index.get();
        out.add(new ImageResult(name, made.state(), made.key(), made.digest() == null ? null : Digest.parse(made.digest()),
            null, made.cause(), made.references(), dependsOn, null, null, new ImageTarget.Index(built)));
      }
    }
    return new RunResult(out);
  }
}
