package dev.berth.api.build;

import dev.berth.engine.Builder;
import dev.berth.engine.ImageBuilder;
import dev.berth.runtime.ExecStepRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** berth's own engine: file layers written directly, run steps in runc over overlayfs; needs root for runc. */
public final class NativeBuilderProvider implements BuilderProvider {
  /** How long one run step may take. */
  public static final java.time.Duration STEP_TIMEOUT = java.time.Duration.ofMinutes(30);

  @Override
  public String name() {
    return ImageBuilder.NAME;
  }

  @Override
  public int priority() {
    return 1;
  }

  @Override
  public Builders.Availability availability(Map<String, String> environment) {
    Optional<Path> runc = onPath("runc", environment);
    long uid = uid();
    if (runc.isEmpty()) {
      return new Builders.Availability(ImageBuilder.NAME, 1, false,
          "runc is not on PATH: only images without apt/pip/run steps can be built");
    }
    if (uid != 0) {
      return new Builders.Availability(ImageBuilder.NAME, 1, false,
          "running as uid " + uid + ", not root: only images without apt/pip/run steps can be built");
    }
    return new Builders.Availability(ImageBuilder.NAME, 1, true, "runc at " + runc.get() + ", running as root");
  }

  @Override
  public Builder create(BuilderContext context) {
    return new ImageBuilder(context.store(), context.settings(),
        new ExecStepRunner(context.store(), context.run(), STEP_TIMEOUT, context.listener(),
            dev.berth.emulation.Emulation.fromEnvironment(context.environment())),
        context.listener());
  }

  private static Optional<Path> onPath(String program, Map<String, String> environment) {
    String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String directory : path.split(":")) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The process's real uid, from /proc (Linux); -1 when it cannot be told. */
  private static long uid() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
