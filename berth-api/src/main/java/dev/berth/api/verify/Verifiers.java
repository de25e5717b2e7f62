package dev.berth.api.verify;

import dev.berth.dockerfile.DockerfileFrontend;
import dev.berth.plan.TreeBuild;
import dev.berth.runtime.ImageChecks;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.time.Duration;
import dev.berth.event.BuildListener;
import dev.berth.event.OutputLines;

/** How images are checked after they are built. */
public final class Verifiers {
  private Verifiers() {}

  /** {@code verify:} commands inside the image with runc; a {@code test.sh} on the host with the image as $1. */
  public static TreeBuild.Verifier runc(ContentStore store, RunDirectory run, BuildListener log) {
    return runc(store, run, log, image -> image.refNames().get(0), TestScripts.Invocation.DEFAULT);
  }

  /**
   * As {@link #runc(ContentStore, RunDirectory, BuildListener)}; test.sh gets the image as {@code reference} names it
   * (also loaded so), run as {@code invocation} says.
   */
  public static TreeBuild.Verifier runc(ContentStore store, RunDirectory run, BuildListener log,
      java.util.function.Function<dev.berth.engine.KeyedBuild.Outcome, String> reference,
      TestScripts.Invocation invocation) {
    ImageChecks checks = new ImageChecks(store, run, Duration.ofMinutes(10));
    return new TreeBuild.Verifier() {
      @Override
      public void verify(dev.berth.spec.ImageSpec spec, dev.berth.engine.KeyedBuild.Outcome image) throws Exception {
        checks.run(image.manifest(), spec.verify(), OutputLines.of(spec.name(), log));
        if (invocation.applies(spec.folder()) && !DockerfileFrontend.isStage(spec.name())) {
          TestScripts.run(store, spec, image, reference.apply(image), invocation, log);
        }
      }

      @Override
      public java.util.Optional<dev.berth.emulation.Execution.Emulated> emulation(dev.berth.spec.ImageSpec spec) {
        return spec.verify().isEmpty() ? java.util.Optional.empty() : checks.execution(spec.platform()).emulated();
      }
    };
  }
}
