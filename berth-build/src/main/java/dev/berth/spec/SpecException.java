package dev.berth.spec;

import dev.berth.text.TextFileException;
import java.nio.file.Path;

/** A spec that cannot be used, with the file and line that say why. */
public final class SpecException extends TextFileException {
  public SpecException(Path file, int line, String message) {
    super(file, line, message);
  }

  public SpecException(Path file, String message) {
    this(file, 0, message);
  }
}
