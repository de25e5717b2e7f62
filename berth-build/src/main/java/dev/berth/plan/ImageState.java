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
    return this == FAILED || this == BLOCKED || this == INTERRUPTED;
  }

  /** The state as the documentation and every output (text, JSON, the journal) write it: {@code verified}. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads a label; journals written before states were lowercase said {@code VERIFIED}. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public static ImageState fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
