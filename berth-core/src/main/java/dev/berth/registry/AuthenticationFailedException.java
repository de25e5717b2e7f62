package dev.berth.registry;

/** The registry (or its token service) refused the credentials, or asked for some and had none. */
public final class AuthenticationFailedException extends RegistryException {
  public AuthenticationFailedException(String host, String detail) {
    super("authentication failed for " + host + (detail.isEmpty() ? "" : ": " + detail), 401);
  }
}
