package dev.berth.engine.docker;

import java.io.IOException;

/** The engine answers, but its API is older than berth speaks; the message names the engine and both versions. */
public final class EngineTooOldException extends IOException {
  public EngineTooOldException(String message) {
    super(message);
  }
}
