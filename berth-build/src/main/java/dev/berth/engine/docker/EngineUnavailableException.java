package dev.berth.engine.docker;

import java.io.IOException;

/**
 * An engine that does not answer as an engine: refused or unreachable, a TLS handshake that fails,
 * an answer that stalls past its limit or breaks off. The engine is the fault, not the request, so a
 * fleet marks the worker down and moves its work elsewhere. The message starts with the engine's address.
 */
public final class EngineUnavailableException extends IOException {
  public EngineUnavailableException(String message) {
    super(message);
  }
}
