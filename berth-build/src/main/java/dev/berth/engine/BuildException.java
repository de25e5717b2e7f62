package dev.berth.engine;

/** A build that could not be done, with a message that says which image and step, and why. */
public class BuildException extends RuntimeException {
  public BuildException(String message) {
    super(message);
  }

  public BuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
