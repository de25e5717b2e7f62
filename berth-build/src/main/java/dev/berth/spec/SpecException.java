package dev.berth.spec;

import java.nio.file.Path;

/** A spec that cannot be used, with the file and line that say why. */
public final class SpecException extends RuntimeException {
  public SpecException(Path file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
  }

  public SpecException(Path file, String message) {
    this(file, 0, message);
  }
}
