package dev.berth.layer;

import java.nio.file.Path;

/** A {@code .dockerignore} line that is not a valid pattern; the message names the file and line. */
public final class InvalidPatternException extends RuntimeException {
  public InvalidPatternException(Path file, int line, String problem) {
    super(file + ":" + line + ": " + problem);
  }
}
