package dev.berth.api;

import java.util.List;
import java.util.NoSuchElementException;

/** One result per image of a run, in build order. */
public record RunResult(List<ImageResult> images) {
  public RunResult {
    images = List.copyOf(images);
  }

  /** Whether no image failed or was blocked. */
  public boolean succeeded() {
    return images.stream().noneMatch(ImageResult::failed);
  }

  public ImageResult image(String name) {
    return images.stream().filter(image -> image.name().equals(name)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no image " + name + " in this run"));
  }
}
