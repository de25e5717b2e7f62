package dev.berth.engine;

import dev.berth.engine.docker.DockerBuildException;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.layer.Compression;
import dev.berth.layer.LayerBlob;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.MediaTypes;
import dev.berth.spec.ImageSpec;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * Builds with a Docker engine's own (legacy) builder: the spec becomes a generated Dockerfile and a
 * context tar sent to {@code POST /build}; the engine's output streams to progress; an error in the
 * stream fails the image with the engine's message. The result is saved back from the engine into
 * the store under the same content key, so verification and publishing are those of a native build.
 *
 * <p>Bases and {@code COPY --from} sources go into the engine from the store first, named
 * {@code berth-base:<manifest digest>}. Images built here carry the labels {@code dev.berth.image}
 * and {@code dev.berth.key}, by which {@code berth prune} finds them. Docker's output is not
 * reproducible (it stamps times); its layers are stored gzip-compressed, base layers are shared.
 */
public final class DockerBuilder implements Builder {
  public static final String NAME = "docker";
  public static final String BASE_REPOSITORY = "berth-base";
  public static final String IMAGE_LABEL = "dev.berth.image";
  public static final String KEY_LABEL = "dev.berth.key";

  private final ContentStore store;
  private final BuildSettings settings;
  private final DockerEngine engine;
  private final BuildListener progress;

  public DockerBuilder(ContentStore store, BuildSettings settings, DockerEngine engine, BuildListener progress) {
    this.store = store;
    this.settings = settings;
    this.engine = engine;
    this.progress = progress;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ImageBuilder.BuiltImage build(PreparedImage prepared, BaseImage base) throws IOException {
    ImageSpec spec = prepared.spec();
    String baseReference = base.isScratch() ? "scratch" : inEngine(base.manifestDescriptor());
    Map<String, String> sources = new LinkedHashMap<>();
    for (var source : prepared.sources().entrySet()) {
      String refName = source.getKey() + ":" + source.getValue().tag();
      Descriptor manifest = store.resolve(refName).orElseThrow(() -> new BuildException(spec.name()
          + ": COPY --from=" + source.getKey() + ": " + refName + " is not in the store"));
      sources.put(source.getKey(), inEngine(manifest.withoutAnnotations()));
    }
    String tag = spec.name() + ":" + prepared.key().tag();
    Path work = Files.createTempDirectory(store.tempDirectory(), "docker-build-");
    try {
      DockerContext.Written context = DockerContext.write(prepared, base, baseReference, sources, store, settings, work);
      progress.on(new BuildEvent.EngineBuild(spec.name(), "docker", engine.address()));
      try {
        engine.build(context.contextTar(), new DockerEngine.BuildRequest(tag, context.networkMode(),
            Map.of(IMAGE_LABEL, spec.name(), KEY_LABEL, prepared.key().toString()),
            DockerContext.noCache(prepared, settings)),
            line -> {
              if (!line.startsWith(" ---> ") && !line.startsWith("Removing intermediate container")) {
                progress.on(new BuildEvent.Output(spec.name(), line));
              }
            });
      } catch (DockerBuildException e) {
        throw new BuildException(spec.name() + ": docker engine: " + e.getMessage());
      }
      Path archive = work.resolve("image.tar");
      engine.save(tag, archive);
      Descriptor saved = DockerArchive.read(archive, tag, store);
      return new ImageBuilder.BuiltImage(compressed(saved, base), prepared.key());
    } finally {
      MergedLayer.deleteTree(work);
    }
  }

  /** The engine's name for an image of the store, loading it first when the engine lacks it. */
  private String inEngine(Descriptor manifest) throws IOException {
    return DockerContext.loadFromStore(store, engine, manifest);
  }

  /**
   * The saved image with the base's own layer blobs where the engine kept them unchanged, and gzip
   * for the layers it made: {@code docker save} hands out uncompressed tars.
   */
  private Descriptor compressed(Descriptor saved, BaseImage base) throws IOException {
    ImageManifest manifest = ImageManifest.parse(store.readBlob(saved.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(manifest.config().digest()));
    List<LayerBlob> baseLayers = base.layers();
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      var diffId = config.rootfs().diffIds().get(i);
      if (i < baseLayers.size() && baseLayers.get(i).diffId().equals(diffId)) {
        layers.add(baseLayers.get(i).descriptor());
      } else if (layer.mediaType().equals(MediaTypes.OCI_LAYER_TAR)) {
        layers.add(gzip(layer));
      } else {
        layers.add(layer);
      }
    }
    return store.writeBlob(MediaTypes.OCI_MANIFEST, ImageManifest.oci(manifest.config(), layers).toJson());
  }

  private Descriptor gzip(Descriptor tar) throws IOException {
    try (InputStream in = store.openBlob(tar.digest())) {
      return RootfsImport.compress(store, in, Compression.GZIP).descriptor();
    }
  }
}
