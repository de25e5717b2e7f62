package dev.berth.cli;

import dev.berth.api.publish.Registries;
import dev.berth.engine.BaseImage;
import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.FileDigestCache;
import dev.berth.engine.LambdaRuntimes;
import dev.berth.engine.LayeredImage;
import dev.berth.engine.PullPolicy;
import dev.berth.layer.Compression;
import dev.berth.oci.Platform;
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

  @Option(names = "--arch", defaultValue = "x86_64", description = "x86_64 or arm64 (default: ${DEFAULT-VALUE}).")
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

  @Mixin RegistryOptions registries;

  @Override
  public Integer call() throws Exception {
    String baseReference = base != null ? base : LambdaRuntimes.baseImage(runtime, arch, prefix);
    List<LayeredImage.Addition> adds = new ArrayList<>();
    for (String addition : additions) {
      int colon = addition.lastIndexOf(':');
      if (colon <= 0 || colon == addition.length() - 1) {
        throw new UsageException("--add takes FILE:DEST, not '" + addition + "'");
      }
      adds.add(new LayeredImage.Addition(Path.of(addition.substring(0, colon)), addition.substring(colon + 1)));
    }
    ContentStore store = global.openStore();
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.GZIP);
    FileDigestCache digests = FileDigestCache.open(store.root().resolve("berth-digests"));
    try (ContentStore.Lease lease = store.lease()) {
      Platform platform = new Platform("linux", LambdaRuntimes.ociArchitecture(arch), null);
      BaseImage baseImage = new BaseResolver(store, Path.of("").toAbsolutePath(), PullPolicy.parse(pull),
          new Registries(registries.clients(), store), EventLines.warnings(System.err))
          .resolve(baseReference, platform, settings.created());
      LayeredImage.Result result = new LayeredImage(store, settings, digests)
          .build(new LayeredImage.Request(runtime, arch, layers, adds), baseImage);
      System.err.println(result.built() ? "built " + result.manifest().digest() : "unchanged");
      System.out.println(result.reference());
    } finally {
      digests.save();
    }
    return ExitCodes.OK;
  }
}
