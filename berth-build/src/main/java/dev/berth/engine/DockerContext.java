package dev.berth.engine;

import dev.berth.engine.docker.DockerEngine;
import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBuilder;
import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an engine's {@code POST /build} gets for a prepared image: berth's generated Dockerfile and its
 * context as one tar, with the base and {@code COPY --from} sources named as the engine knows them.
 * Shared by the docker builder (one local engine) and a fleet's workers.
 */
public final class DockerContext {
  private DockerContext() {}

  /** The context tar written, and the network its steps need ({@code host} or {@code none}). */
  public record Written(Path contextTar, String networkMode) {}

  /**
   * Writes {@code DIRECTORY/context.tar} for {@code prepared} on {@code base}.
   *
   * @param baseReference the engine's name of the base (a tag, or a repository at a digest), or {@code scratch}
   * @param sourceReferences the engine's names of the images {@code COPY --from} copies from
   */
  public static Written write(PreparedImage prepared, BaseImage base, String baseReference,
      Map<String, String> sourceReferences, ContentStore store, BuildSettings settings, Path directory)
      throws IOException {
    GeneratedDockerfile.Result generated = GeneratedDockerfile.of(prepared, base, baseReference, sourceReferences,
        store, settings);
    Path dockerfile = Files.writeString(directory.resolve("Dockerfile"), generated.dockerfile(), StandardCharsets.UTF_8);
    LayerBuilder context = generated.context().addFile(dockerfile, "Dockerfile", new EntryAttributes(0, 0, 0644));
    Path contextTar = directory.resolve("context.tar");
    try (OutputStream out = Files.newOutputStream(contextTar)) {
      context.writeTo(out);
    }
    return new Written(contextTar, generated.needsNetwork() ? "host" : "none");
  }

  /**
   * The engine's name for an image of the store ({@code berth-base:<manifest digest hex>}), loading
   * it into the engine first when the engine lacks it.
   */
  public static String loadFromStore(ContentStore store, DockerEngine engine, Descriptor manifest) throws IOException {
    String reference = DockerBuilder.BASE_REPOSITORY + ":" + manifest.digest().hex();
    if (engine.inspect(reference) == null) {
      Path archive = Files.createTempFile(store.tempDirectory(), "engine-load-", ".tar");
      try {
        DockerArchive.write(store, manifest, List.of(reference), archive);
        engine.load(archive);
      } finally {
        Files.deleteIfExists(archive);
      }
    }
    return reference;
  }

  /**
   * Whether the engine's own cache must stay unused: its cache keys instructions, not versions, so a
   * versioned image is built without it (as docker-pkg builds), unless command steps may be reused
   * across versions ({@code --use-cache}).
   */
  public static boolean noCache(PreparedImage prepared, BuildSettings settings) {
    return settings.stepReuse() == StepReuse.NEVER
        || settings.stepReuse() == StepReuse.VERSIONED && prepared.version() != null;
  }
}
