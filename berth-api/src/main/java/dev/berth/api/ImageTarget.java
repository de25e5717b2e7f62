package dev.berth.api;

import dev.berth.oci.Platform;
import java.util.List;

/**
 * What one result of a plan or a run stands for: one platform's image (a manifest), or the OCI index
 * over the images of an image built for several platforms.
 */
public sealed interface ImageTarget {
  /** The platforms this result covers: one for an image, each child's for an index. */
  List<Platform> platforms();

  /** One platform's image. */
  record Single(Platform platform) implements ImageTarget {
    public Single {
      java.util.Objects.requireNonNull(platform, "platform");
    }

    @Override
    public List<Platform> platforms() {
      return List.of(platform);
    }
  }

  /** The index over one image per platform, in the run's platform order. */
  record Index(List<Platform> platforms) implements ImageTarget {
    public Index {
      platforms = List.copyOf(platforms);
    }
  }
}
