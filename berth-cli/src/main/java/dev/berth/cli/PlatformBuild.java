package dev.berth.cli;

import dev.berth.api.publish.Publishing;
import dev.berth.api.tree.MultiPlatformRun;
import dev.berth.engine.BuildSettings;
import dev.berth.event.BuildListener;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Json;
import dev.berth.oci.Platforms;
import dev.berth.plan.ImageState;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** {@code berth build/verify/publish --platform a,b}: calls {@link MultiPlatformRun} and prints what it did. */
final class PlatformBuild {
  private final TreeOptions treeOptions;
  private final GlobalOptions global;
  private final BuildListener progress;
  private final String format;

  PlatformBuild(TreeOptions treeOptions, GlobalOptions global, BuildListener progress, String format) {
    this.treeOptions = treeOptions;
    this.global = global;
    this.progress = progress;
    this.format = format;
  }

  /** What is done with the selected images after the run: written to {@code targets}, loaded into the engine. */
  record Outputs(java.util.List<String> images, java.util.List<dev.berth.api.transfer.ImageOutput> targets,
      boolean load) {
  }

  int run(TreeScanner.Tree tree, Platforms platforms, String builder, BuildSettings settings,
      Optional<dev.berth.sbom.SbomFormat> sbom, TreeBuild.Phase phase, boolean force, boolean push, String registry,
      Integer jobs, Outputs outputs, Optional<dev.berth.plan.Affected.Query> affectedBy) throws IOException {
    ContentStore store = global.openStore();
    MultiPlatformRun.Result result;
    try (ContentStore.Lease lease = store.lease()) {
      Optional<Publishing> publishing = push
          ? Optional.of(Publishing.from(registry, tree.config().registry(), treeOptions.registries.clients(), store)
              .orElseThrow(() -> new UsageException("--push needs a registry: berth.yaml's registry or --registry")))
          : Optional.empty();
      try (MultiPlatformRun run = MultiPlatformRun.of(treeOptions.request(), tree, platforms, store, builder,
          settings, publishing, progress)) {
        for (MultiPlatformRun.Part part : run.parts()) {
          part.session().build.afterBuild(sbom.map(chosen -> new dev.berth.sbom.Attestations(store).writer(chosen))
              .orElse(dev.berth.engine.KeyedBuild.AfterBuild.NONE));
        }
        int parallel = jobs != null ? jobs : tree.config().jobs() != null ? tree.config().jobs()
            : Runtime.getRuntime().availableProcessors();
        if (outputs.load()) {
          refuseAsUsage(run::loadable);
        }
        result = run.jobs(parallel).debugging(global.debug).affectedBy(affectedBy).run(phase, force);
        if (outputs.load()) {
          run.load(result, outputs.images());
        }
        for (String image : outputs.images()) {
          if (!outputs.targets().isEmpty()) {
            run.write(result, image, outputs.targets());
          }
        }
      }
    }
    print(result);
    return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static void refuseAsUsage(Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private void print(MultiPlatformRun.Result result) {
    if (format.equals("json")) {
      System.out.println(new String(Json.pretty(result), StandardCharsets.UTF_8));
      return;
    }
    for (MultiPlatformRun.PlatformResult part : result.platforms()) {
      for (TreeBuild.Result image : part.images()) {
        if (image.state().isFailure()) {
          System.out.printf("%-10s %s %s  %s%n", image.state().label(), image.name(), part.platform(), image.cause());
        } else {
          System.out.printf("%-10s %s:%s %s%n", image.state().label(), image.name(), image.key(), part.platform());
        }
      }
    }
    for (MultiPlatformRun.IndexResult index : result.indexes()) {
      if (index.state().isFailure()) {
        System.out.printf("%-10s %s index  %s%n", index.state().label(), index.name(), index.cause());
      } else {
        System.out.printf("%-10s %s:%s index %s (%s)%n", index.state() == ImageState.PUBLISHED ? "published" : "index",
            index.name(), index.key(), index.digest(), String.join(", ", index.platforms()));
      }
    }
  }
}
