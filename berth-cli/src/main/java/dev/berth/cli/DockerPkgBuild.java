package dev.berth.cli;

import dev.berth.api.dockerpkg.DockerPkgRun;
import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.event.BuildListener;
import dev.berth.plan.ImageState;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth docker-pkg build}: plan, build, verify (test.sh) and, when config.yaml has
 * credentials, publish ({@link DockerPkgRun}), printing docker-pkg's steps. Unlike docker-pkg, the
 * exit status is 1 when any image failed or was blocked.
 */
@Command(name = "build", description = "Build images (and publish them to the registry), as docker-pkg build.")
final class DockerPkgBuild implements Callable<Integer>, Replayable {
  @ParentCommand DockerPkgCommand parent;
  @Mixin GlobalOptions global;

  static final class Nightly {
    @Option(names = "--nightly", description = "Prepare a nightly build: versions get -YYYYMMDD.")
    boolean nightly;

    @Option(names = "--snapshot", description = "Create a snapshot build: versions get -YYYYMMDD-HHMMSS.")
    boolean snapshot;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1") Nightly nightly = new Nightly();

  @Option(names = "--use-cache", description = {"Take package steps from the step cache even when an image's version",
      "moved (by default, as docker-pkg without Docker's cache, a new version runs them again)."})
  boolean useCache;

  @Option(names = "--no-pull", description = "Do not look in the registry for images or bases (--pull=never).")
  boolean noPull;

  @Option(names = "--select", paramLabel = "GLOB", description = "Images whose registry/namespace/name:tag matches (fnmatch).")
  String select;

  @Option(names = "--progress", paramLabel = "auto|tty|plain|json",
      description = {"berth's own: show progress on stderr in this mode (see berth build --progress)",
          "instead of logging to ./" + DockerPkgCommand.LOG_FILE + "."})
  String progress;

  @Parameters(paramLabel = "DIRECTORY", description = "The directory to scan for images.")
  Path directory;

  private java.util.Optional<dev.berth.cli.replay.ReplayInputs> replayInputs = java.util.Optional.empty();

  @Override
  public java.util.Optional<dev.berth.cli.replay.ReplayInputs> replayInputs() {
    return replayInputs;
  }

  @Override
  public Integer call() throws Exception {
    BuildListener log = progress == null ? parent.log() : ProgressOption.of(progress).listener(System.err);
    Path configFile = parent.config();
    DockerPkgConfig config = DockerPkgConfig.load(configFile);
    String suffix = DockerPkgRun.versionSuffix(nightly.nightly, nightly.snapshot, LocalDateTime.now());
    DockerPkgRun.Request request = new DockerPkgRun.Request(directory, configFile, select, noPull, useCache, suffix,
        global.debug);
    System.out.println("== Step 0: scanning " + directory.toAbsolutePath() + " ==");
    DockerPkgRun.Result result;
    try (DockerPkgRun run = DockerPkgRun.open(request, config, global.openStore(), log, System.getenv())) {
      NoOpRun noOp = NoOpRun.begin(run.tree().root());
      System.out.println("Will build the following images:");
      run.toBuild().forEach(label -> System.out.println("* " + label));
      System.out.println("== Step 1: building images ==");
      result = run.build();
      for (DockerPkgRun.ImageResult image : result.images()) {
        if (image.state().isFailure()) {
          System.out.println(" ERROR: image " + image.fullName() + " failed to build: "
              + image.state().label() + ": " + image.cause());
        } else if (image.builtNow() && !image.isStage()) {
          System.out.println("* Built image " + image.label());
        }
      }
      System.out.println("== Step 2: publishing ==");
      if (!run.publishes()) {
        System.out.println("NOT publishing images as we have no auth setup");
      } else {
        for (DockerPkgRun.ImageResult image : result.images()) {
          if (image.state() == ImageState.PUBLISHED) {
            image.alreadyPublished().forEach(reference -> System.out.println("* " + reference));
            System.out.println("Successfully published image " + image.label());
          }
        }
      }
      boolean changedNothing = !nightly.nightly && !nightly.snapshot && !run.publishes() && !run.usedRegistry()
          && run.toBuild().isEmpty() && !NoOpRun.readsOutsideTree(run.tree().graph())
          && result.images().stream().allMatch(image -> image.state() == ImageState.CACHED && !image.builtNow());
      replayInputs = noOp.inputs(changedNothing, java.util.List.of(configFile, run.store().root().resolve("index.json")));
    }
    System.out.println("== Build done! ==");
    if (parent.logsToFile() && progress == null) {
      System.out.println("You can see the logs at ./" + DockerPkgCommand.LOG_FILE);
    }
    return result.succeeded() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
