package dev.berth.cli;

import dev.berth.api.lambda.LayeredBuild;
import dev.berth.engine.LambdaRuntimes;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.engine.LayeredImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth layered}: a SAM-style local invoke image with function layers under /opt. */
@Command(name = "layered", description = {
    "Build a Lambda local-invoke image: the runtime's base image, extra files, and layers merged under /opt.",
    "The tag is a hash of the base digest and the layers' contents: unchanged layers are never tarred again."})
final class LayeredCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(names = "--runtime", required = true, description = "python3.12, nodejs20.x, java21, provided.al2, …")
  String runtime;

  @Option(names = "--arch", defaultValue = "x86_64", description = {"x86_64 or arm64 (default: ${DEFAULT-VALUE}).",
      "The base is the runtime's ARCH tag (as SAM's), else that architecture's image in the runtime's index tag."})
  String arch;

  @Option(names = "--layer", paramLabel = "DIR|ZIP", description = "A layer, merged under /opt (repeatable, in order).")
  List<Path> layers = new ArrayList<>();

  @Option(names = "--add", paramLabel = "FILE:DEST", description = "An extra file at an absolute path (repeatable).")
  List<String> additions = new ArrayList<>();

  @Option(names = "--base", paramLabel = "REF", description = "The base image (default: the runtime's, under --registry-prefix).")
  String base;

  @Option(names = "--registry-prefix", defaultValue = LambdaRuntimes.DEFAULT_PREFIX,
      description = "Where runtime base images live (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--pull", defaultValue = "missing", paramLabel = "missing|always|never",
      description = "When to fetch the base from its registry (default: ${DEFAULT-VALUE}).")
  String pull;

  @Option(names = "--load", description = "Also load the image into the Docker engine, where SAM keeps its images.")
  boolean load;

  @Option(names = "--skip-pull-image", description = "SAM's flag: use the base image the store has (--pull=missing).")
  boolean skipPull;

  @Option(names = "--force-image-build", description = "SAM's flag: build the image again even when its tag is in the store.")
  boolean forceBuild;

  @Mixin RegistryOptions registries;

  @Override
  public Integer call() throws Exception {
    List<LayeredImage.Addition> adds = new ArrayList<>();
    for (String addition : additions) {
      int colon = addition.lastIndexOf(':');
      if (colon <= 0 || colon == addition.length() - 1) {
        throw new UsageException("--add takes FILE:DEST, not '" + addition + "'");
      }
      adds.add(new LayeredImage.Addition(Path.of(addition.substring(0, colon)), addition.substring(colon + 1)));
    }
    if (skipPull && pull.equals("always")) {
      throw new UsageException("--skip-pull-image and --pull=always contradict each other");
    }
    DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
    LayeredBuild.Request request = new LayeredBuild.Request(new LayeredImage.Request(runtime, arch, layers, adds), base,
        prefix, skipPull ? "missing" : pull, forceBuild, load);
    LayeredBuild.check(request, engine);
    LayeredBuild.Outcome outcome = LayeredBuild.build(request, global.openStore(), registries.clients(), engine,
        EventLines.warnings(System.err), System.getenv());
    LayeredImage.Result result = outcome.result();
    System.err.println(result.built() ? "built " + result.manifest().digest() : "unchanged");
    outcome.removedFromStore().forEach(name -> System.err.println("removed older " + name + " from the store"));
    outcome.removedFromEngine().forEach(name -> System.err.println("removed older " + name + " from the engine"));
    outcome.loaded().forEach(name -> System.err.println("loaded " + name + " into the engine"));
    System.out.println(result.reference());
    return ExitCodes.OK;
  }
}
