package dev.berth.emulation;

import dev.berth.oci.Platform;

/**
 * Commands of an image for {@link #platform()} cannot run on this machine; the message says why and
 * what to install or enable, in one line.
 */
public final class EmulationUnavailableException extends RuntimeException {
  private final transient Platform platform;
  private final String problem;
  private final String remedy;

  EmulationUnavailableException(Platform platform, Platform host, String problem, String remedy) {
    super(platform + " steps need an emulator (qemu-user-static with binfmt_misc) on this " + host + " machine: "
        + problem + " (" + remedy + ")");
    this.platform = platform;
    this.problem = problem;
    this.remedy = remedy;
  }

  public Platform platform() {
    return platform;
  }

  /** What is missing, e.g. {@code no binfmt_misc entry runs arm64 executables}. */
  public String problem() {
    return problem;
  }

  /** What to install or enable, as commands. */
  public String remedy() {
    return remedy;
  }
}
