package dev.berth.cli;

import dev.berth.api.publish.Registries;
import dev.berth.engine.BaseImage;
import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.FileDigestCache;
import dev.berth.engine.LambdaBase;
import dev.berth.engine.LambdaImages;
import dev.berth.engine.LambdaRuntimes;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.engine.LayeredImage;
import dev.berth.engine.PullPolicy;
import dev.berth.layer.Compression;
import dev.berth.store.ContentStore;
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
    if (base == null) {
      LambdaRuntimes.baseImage(runtime, arch, prefix);  // an unknown runtime or architecture is refused first
    }
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
    if (load && !engine.available()) {
      throw new IllegalStateException("--load: no Docker engine answers at " + engine.address());
    }
    ContentStore store = global.openStore();
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.GZIP);
    FileDigestCache digests = FileDigestCache.open(store.root().resolve("berth-digests"));
    try (ContentStore.Lease lease = store.lease()) {
      BaseResolver resolver = new BaseResolver(store, Path.of("").toAbsolutePath(),
          PullPolicy.parse(skipPull ? "missing" : pull), new Registries(registries.clients(), store),
          EventLines.warnings(System.err));
      BaseImage baseImage = base != null ? resolver.resolve(base, LambdaBase.platform(arch), settings.created())
          : LambdaBase.resolve(resolver, runtime, arch, prefix, settings.created());
      LayeredImage layered = new LayeredImage(store, settings, digests);
      LayeredImage.Request request = new LayeredImage.Request(runtime, arch, layers, adds);
      if (forceBuild) {
        store.untag(layered.reference(request, baseImage));
      }
      LayeredImage.Result result = layered.build(request, baseImage);
      System.err.println(result.built() ? "built " + result.manifest().digest() : "unchanged");
      if (result.built()) {
        LambdaImages.Removed removed = LambdaImages.removeOlder(store, result.reference(), engine.available() ? engine : null);
        removed.store().forEach(name -> System.err.println("removed older " + name + " from the store"));
        removed.engine().forEach(name -> System.err.println("removed older " + name + " from the engine"));
      }
      if (load) {
        LambdaImages.load(store, result.reference(), result.manifest(), engine)
            .forEach(name -> System.err.println("loaded " + name + " into the engine"));
      }
      System.out.println(result.reference());
    } finally {
      digests.save();
    }
    return ExitCodes.OK;
  }
}
