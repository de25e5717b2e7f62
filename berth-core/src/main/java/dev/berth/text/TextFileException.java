package dev.berth.text;

import java.nio.file.Path;

/**
 * A text input (a {@code .dockerignore}, a Dockerfile, a changelog…) that cannot be used: the
 * message is {@code FILE:LINE: problem}, or {@code FILE: problem} when no line applies.
 */
public final class TextFileException extends RuntimeException {
  public TextFileException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
  }
}
