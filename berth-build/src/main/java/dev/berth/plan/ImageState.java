package dev.berth.plan;

import java.util.Locale;

/**
 * Where an image stands in a run. {@code INTERRUPTED}: berth was stopped (Ctrl-C, SIGTERM) before the
 * image was finished; the next run takes it up again.
 */
public enum ImageState {
  PLANNED, BUILDING, BUILT, VERIFYING, VERIFIED, PUBLISHING, PUBLISHED, CACHED, FAILED, BLOCKED, INTERRUPTED;

  public boolean isFinal() {
    return this == PUBLISHED || this == CACHED || this == FAILED || this == BLOCKED || this == VERIFIED || this == BUILT;
  }

  public boolean isFailure() {
    return this == FAILED || this == BLOCKED;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
