package dev.berth.spec;

import java.nio.file.Path;

/** A spec that cannot be used, with the file and line that say why. */
public final class SpecException extends RuntimeException {
  private final String reason;

  public SpecException(Path file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.reason = message;
  }

  /** What is wrong, without the file and line. */
  public String reason() {
    return reason;
  }

  public SpecException(Path file, String message) {
    this(file, 0, message);
  }
}
