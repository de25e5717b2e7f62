package dev.berth.engine;

import java.time.Duration;
import java.time.Instant;

/** Where a builder reports how long each step of an image took (the journal, for reports). */
@FunctionalInterface
public interface StepTimings {
  /**
   * Step {@code index} (from 0) of {@code image}, labelled as the progress shows it; {@code cached}
   * when its layer came from the step cache or was written ahead.
   */
  void step(String image, int index, String label, boolean cached, Instant started, Duration took);

  StepTimings NONE = (image, index, label, cached, started, took) -> { };
}
