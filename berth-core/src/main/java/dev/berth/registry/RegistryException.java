package dev.berth.registry;

import java.io.IOException;

/** A registry answered with an error, or could not be reached; the message names the host. */
public class RegistryException extends IOException {
  private final int status;

  public RegistryException(String message, int status) {
    super(message);
    this.status = status;
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status that caused this, or 0 when there was no response. */
  public int status() {
    return status;
  }
}
