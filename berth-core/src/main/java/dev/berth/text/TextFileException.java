package dev.berth.text;

import java.nio.file.Path;

/**
 * A text input (a {@code .dockerignore}, a Dockerfile, a changelog…) that cannot be used: the
 * message is {@code FILE:LINE: problem}, or {@code FILE: problem} when no line applies.
 */
public class TextFileException extends RuntimeException {
  private final String reason;

  public TextFileException(Path file, int line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.reason = problem;
  }

  /** What is wrong, without the file and line. */
  public String reason() {
    return reason;
  }
}
