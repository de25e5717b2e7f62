package dev.berth.engine;

/**
 * When a command step (apt, pip, run) of an image being built may be taken from the step cache
 * instead of run again. docker-pkg builds without Docker's cache unless {@code --use-cache}, so that
 * a new changelog version always means fresh packages; {@link #VERSIONED} is berth's equivalent.
 */
public enum StepReuse {
  /** A command step is reused only for the same image version: {@code update} means fresh installs. */
  VERSIONED,
  /** A command step is reused whatever the version (docker-pkg's {@code --use-cache}). */
  ALWAYS,
  /** Nothing is taken from the step cache ({@code --force}). */
  NEVER
}
