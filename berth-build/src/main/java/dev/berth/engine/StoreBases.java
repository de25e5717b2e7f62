package dev.berth.engine;

import dev.berth.dockerfile.DockerfileFrontend;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Dockerfile needs to know of a base the store already holds (as docker knows its local
 * images): its environment, for {@code $VAR} after FROM, and its ONBUILD triggers. A base the store
 * lacks is unknown here (it is pulled at build time).
 */
public final class StoreBases implements DockerfileFrontend.Bases {
  private final ContentStore store;
  private final Platform platform;

  public StoreBases(ContentStore store, Platform platform) {
    this.store = store;
    this.platform = platform;
  }

  @Override
  public Optional<String> treeImage(String reference) {
    return Optional.empty();
  }

  @Override
  public Optional<Map<String, String>> environment(String base) {
    return config(base).map(config -> {
      Map<String, String> out = new LinkedHashMap<>();
      for (String entry : config.config().env() == null ? List.<String>of() : config.config().env()) {
        int equals = entry.indexOf('=');
        out.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
      }
      return out;
    });
  }

  @Override
  public List<String> onBuild(String base) {
    return config(base).map(config -> config.config().onBuild()).filter(triggers -> triggers != null)
        .orElse(List.of());
  }

  private Optional<ImageConfig> config(String base) {
    if (base.contains(":") && (base.startsWith("oci:") || base.startsWith("docker-archive:"))) {
      return Optional.empty();
    }
    try {
      Optional<Descriptor> found = new BaseResolver(store, java.nio.file.Path.of("."))
          .findInStore(ImageReference.parseDocker(base));
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Descriptor manifest = found.get();
      if (MediaTypes.isIndex(manifest.mediaType())) {
        Optional<Descriptor> chosen = ImageIndex.parse(store.readBlob(manifest.digest())).manifestFor(platform);
        if (chosen.isEmpty()) {
          return Optional.empty();
        }
        manifest = chosen.get();
      }
      ImageManifest parsed = ImageManifest.parse(store.readBlob(manifest.digest()));
      return Optional.of(ImageConfig.parse(store.readBlob(parsed.config().digest())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
