package dev.berth.api;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * One result per image of a run, in build order; an image built for several platforms has one result
 * per platform, then one for its index.
 */
public record RunResult(List<ImageResult> images) {
  public RunResult {
    images = List.copyOf(images);
  }

  /** Whether no image failed or was blocked. */
  public boolean succeeded() {
    return images.stream().noneMatch(ImageResult::failed);
  }

  /** Image {@code name}: its index when it was built for several platforms, else its one image. */
  public ImageResult image(String name) {
    return images.stream().filter(image -> image.name().equals(name) && image.isIndex()).findFirst()
        .or(() -> images.stream().filter(image -> image.name().equals(name)).findFirst())
        .orElseThrow(() -> new NoSuchElementException("no image " + name + " in this run"));
  }

  /** Image {@code name} as built for {@code platform}. */
  public ImageResult image(String name, dev.berth.oci.Platform platform) {
    return images.stream().filter(image -> image.name().equals(name)
            && image.target() instanceof ImageTarget.Single single && single.platform().equals(platform)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no image " + name + " for " + platform + " in this run"));
  }
}
