package dev.berth.cli;

import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildException;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.InputCollector;
import dev.berth.engine.NativeBuild;
import dev.berth.engine.StepRunner;
import dev.berth.layer.Compression;
import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.ImageSpecParser;
import dev.berth.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth build DIR}: build an image folder into the store, and optionally write it out. */
@Command(name = "build", description = "Build images into the local store, tagged with their content key.")
final class BuildCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "DIR",
      description = "An image folder (holding image.yaml). Default: the current directory.")
  Path directory;

  @Option(names = "--output", paramLabel = "oci:DIR[:TAG]|docker-archive:FILE",
      description = "Also write the image there (repeatable).")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--compression", defaultValue = "gzip", description = "Layer compression: gzip, zstd or none (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--platform", defaultValue = "linux/amd64", description = "Default platform (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(names = "--force", description = "Build even when the content key is already in the store.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    List<ImageOutput> targets = outputs.stream().map(ImageOutput::parse).toList();
    Path folder = directory.toAbsolutePath().normalize();
    if (!Files.isRegularFile(folder.resolve(ImageSpecParser.FILE_NAME))) {
      throw new IllegalArgumentException(folder + " has no " + ImageSpecParser.FILE_NAME);
    }
    ImageSpec spec = new ImageSpecParser(Platform.parse(platform)).parse(folder);
    ContentStore store = global.openStore();
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.parse(compression));
    try (ContentStore.Lease lease = store.lease()) {
      NativeBuild build = new NativeBuild(store, settings, new BaseResolver(store, Path.of("").toAbsolutePath()),
          InputCollector.FileDigests.UNCACHED, CommandSteps.unavailable(), line -> System.err.println(spec.name() + ": " + line));
      ImageBuilder.PreparedImage prepared = build.prepare(spec);
      NativeBuild.Outcome outcome = build.build(prepared, force, null);
      System.err.println(spec.name() + ": " + (outcome.built() ? "built " : "cached ") + outcome.manifest().digest());
      for (ImageOutput target : targets) {
        target.write(store, outcome.manifest(), spec.name() + ":" + outcome.key().tag());
      }
      outcome.refNames().forEach(System.out::println);
    }
    return ExitCodes.OK;
  }

  /** Where run-like steps go until a runtime is configured. */
  static final class CommandSteps {
    static StepRunner unavailable() {
      return request -> {
        throw new BuildException(request.spec().name() + ": " + request.label()
            + ": this berth has no runtime for command steps");
      };
    }
  }
}
