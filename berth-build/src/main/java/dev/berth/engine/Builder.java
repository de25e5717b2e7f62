package dev.berth.engine;

import java.io.IOException;

/**
 * What turns a prepared image into an image in the store: the native engine ({@link ImageBuilder})
 * or a Docker engine. The content key does not depend on the builder, so both plan alike.
 */
public interface Builder {
  /** The name {@code --builder} takes. */
  String name();

  ImageBuilder.BuiltImage build(PreparedImage prepared, BaseImage base) throws IOException;

  /**
   * A hint that {@code prepared} will be built: a builder may start on work that depends only on the
   * image's own inputs (file layers) while earlier images are still building.
   */
  default void prefetch(PreparedImage prepared) {}

  /** Drops work {@link #prefetch} queued and has not started, and waits for what it started. */
  default void stopPrefetching() {}

  /** Where to report each step's timing; a builder that does not run steps one by one reports none. */
  default void timingSteps(StepTimings timings) {}
}
