package dev.berth.engine;

import dev.berth.layer.LayerBlob;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import java.util.ArrayList;
import java.util.List;

/**
 * The image a build starts from, resolved to content in the store.
 *
 * @param identity what the content key records for it: the manifest digest, or {@code scratch}
 * @param manifest its manifest, or null for scratch
 */
public record BaseImage(String identity, Descriptor manifestDescriptor, ImageManifest manifest, ImageConfig config) {
  public static final String SCRATCH = "scratch";

  public static BaseImage scratch(ImageConfig emptyConfig) {
    return new BaseImage(SCRATCH, null, null, emptyConfig);
  }

  public boolean isScratch() {
    return manifest == null;
  }

  /** The base's layers, each with its diff ID from the config. */
  public List<LayerBlob> layers() {
    if (manifest == null) {
      return List.of();
    }
    List<LayerBlob> out = new ArrayList<>();
    for (int i = 0; i < manifest.layers().size(); i++) {
      Descriptor layer = manifest.layers().get(i);
      out.add(new LayerBlob(layer, config.rootfs().diffIds().get(i)));
    }
    return out;
  }
}
