package dev.berth.api.lambda;

import dev.berth.api.publish.Registries;
import dev.berth.api.publish.RegistryClients;
import dev.berth.engine.BaseImage;
import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.FileDigestCache;
import dev.berth.engine.LambdaBase;
import dev.berth.engine.LambdaImages;
import dev.berth.engine.LambdaRuntimes;
import dev.berth.engine.LayeredImage;
import dev.berth.engine.PullPolicy;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.event.BuildListener;
import dev.berth.layer.Compression;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Lambda local-invoke image as SAM builds it ({@code berth layered}): the runtime's base image
 * (resolved as a build resolves a base: the store, then its registry per the pull policy), extra
 * files and layers merged under /opt; older images of the same function removed, and the new one
 * loaded into the Docker engine when asked.
 */
public final class LayeredBuild {
  private LayeredBuild() {}

  /**
   * What to build.
   *
   * @param image the runtime, architecture, layers and additions
   * @param base the base image, or null: the runtime's under {@code registryPrefix}
   * @param pull {@code missing}, {@code always} or {@code never}
   * @param force build again even when the image's tag is in the store
   * @param load load the image into {@code engine}
   */
  public record Request(LayeredImage.Request image, String base, String registryPrefix, String pull, boolean force,
      boolean load) {}

  /** The image, and the names removed from the store and the engine and loaded into the engine. */
  public record Outcome(LayeredImage.Result result, List<String> removedFromStore, List<String> removedFromEngine,
      List<String> loaded) {}

  /** Refuses a request that cannot run ({@code --load} without an engine), before anything is written. */
  public static void check(Request request, DockerEngine engine) {
    if (request.base() == null) {  // an unknown runtime or architecture is refused first
      LambdaRuntimes.baseImage(request.image().runtime(), request.image().arch(), request.registryPrefix());
    }
    if (request.load() && !engine.available()) {
      throw new IllegalStateException("--load: no Docker engine answers at " + engine.address());
    }
  }

  /**
   * Builds it; {@code engine} is the Docker engine older images are removed from (and the image
   * loaded into), when it answers.
   */
  public static Outcome build(Request request, ContentStore store, RegistryClients clients, DockerEngine engine,
      BuildListener warnings, Map<String, String> environment) throws IOException {
    LayeredImage.Request image = request.image();
    check(request, engine);
    boolean engineAnswers = engine.available();
    BuildSettings settings = BuildSettings.fromEnvironment(environment, Compression.GZIP);
    FileDigestCache digests = FileDigestCache.open(store.root().resolve("berth-digests"));
    try (ContentStore.Lease lease = store.lease()) {
      BaseResolver resolver = new BaseResolver(store, Path.of("").toAbsolutePath(), PullPolicy.parse(request.pull()),
          new Registries(clients, store), warnings);
      // the runtime's ARCH tag (as SAM's), else that architecture's image in the runtime's index tag
      BaseImage base = request.base() != null
          ? resolver.resolve(request.base(), LambdaBase.platform(image.arch()), settings.created())
          : LambdaBase.resolve(resolver, image.runtime(), image.arch(), request.registryPrefix(), settings.created());
      LayeredImage layered = new LayeredImage(store, settings, digests);
      if (request.force()) {
        store.untag(layered.reference(image, base));
      }
      LayeredImage.Result result = layered.build(image, base);
      List<String> fromStore = List.of();
      List<String> fromEngine = List.of();
      if (result.built()) {
        LambdaImages.Removed removed = LambdaImages.removeOlder(store, result.reference(), engineAnswers ? engine : null);
        fromStore = List.copyOf(removed.store());
        fromEngine = List.copyOf(removed.engine());
      }
      List<String> loaded = request.load()
          ? List.copyOf(LambdaImages.load(store, result.reference(), result.manifest(), engine)) : List.of();
      return new Outcome(result, fromStore, fromEngine, loaded);
    } finally {
      digests.save();
    }
  }
}
