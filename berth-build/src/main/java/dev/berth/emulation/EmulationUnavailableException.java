package dev.berth.emulation;

import dev.berth.oci.Platform;

/**
 * Commands of an image for {@link #platform()} cannot run on this machine; the message says why and
 * what to install or enable, in one line.
 */
public final class EmulationUnavailableException extends RuntimeException {
  private final transient Platform platform;

  EmulationUnavailableException(Platform platform, String message) {
    super(message);
    this.platform = platform;
  }

  public Platform platform() {
    return platform;
  }
}
