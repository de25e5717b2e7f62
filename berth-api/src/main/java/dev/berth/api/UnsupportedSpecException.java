package dev.berth.api;

/** A spec field berth does not offer (flytekit's python_version, conda_*, cuda): refused, never ignored. */
public final class UnsupportedSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsupportedSpecException(String message) {
    super(message);
  }
}
