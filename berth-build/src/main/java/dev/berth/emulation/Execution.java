package dev.berth.emulation;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Platform;
import java.util.Optional;

/**
 * How commands of an image for {@link #platform()} run on this machine: natively, or under an
 * emulator that the kernel starts through binfmt_misc. What cannot run at all is an
 * {@link EmulationUnavailableException}, never an {@code Execution}.
 */
public sealed interface Execution {
  Platform platform();

  /** The emulation, when there is one; empty for native execution. */
  Optional<Emulated> emulated();

  /** The machine runs the platform's binaries itself. */
  record Native(@JsonProperty("platform") Platform platform) implements Execution {
    @Override
    public Optional<Emulated> emulated() {
      return Optional.empty();
    }
  }

  /**
   * The kernel hands the platform's binaries to {@code interpreter} (binfmt_misc entry {@code handler},
   * with {@code flags}, which include F: the interpreter was opened when it was registered, so it also
   * works inside a container's root, where its path does not exist).
   */
  record Emulated(
      @JsonProperty("platform") Platform platform,
      @JsonProperty("handler") String handler,
      @JsonProperty("interpreter") String interpreter,
      @JsonProperty("flags") String flags) implements Execution {
    @Override
    public Optional<Emulated> emulated() {
      return Optional.of(this);
    }

    @Override
    public String toString() {
      return platform + " under " + handler;
    }
  }
}
