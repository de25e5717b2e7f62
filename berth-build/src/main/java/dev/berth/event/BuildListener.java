package dev.berth.event;

/** Receives a run's {@link BuildEvent}s; called from the run's threads, so it must be thread-safe. */
@FunctionalInterface
public interface BuildListener {
  /** Ignores every event. */
  BuildListener NONE = event -> { };

  void on(BuildEvent event);

  /** Both this listener and {@code other}, in that order. */
  default BuildListener and(BuildListener other) {
    return event -> {
      on(event);
      other.on(event);
    };
  }
}
