package dev.berth.api;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Collects each image's build and check durations from a run's events. */
final class Timings implements BuildListener {
  private final Map<String, Duration> builds = new ConcurrentHashMap<>();
  private final Map<String, Duration> checks = new ConcurrentHashMap<>();

  @Override
  public void on(BuildEvent event) {
    if (event instanceof BuildEvent.Built built) {
      builds.put(built.image(), built.duration());
    } else if (event instanceof BuildEvent.Verified verified) {
      checks.put(verified.image(), verified.duration());
    }
  }

  Duration build(String image) {
    return builds.getOrDefault(image, Duration.ZERO);
  }

  Duration verify(String image) {
    return checks.getOrDefault(image, Duration.ZERO);
  }
}
