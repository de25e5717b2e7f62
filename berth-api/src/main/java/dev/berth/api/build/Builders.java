package dev.berth.api.build;

import dev.berth.api.tree.Session;

import dev.berth.engine.BuildSettings;
import dev.berth.engine.Builder;
import dev.berth.engine.DockerBuilder;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.runtime.ExecStepRunner;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.berth.event.BuildListener;

/**
 * The builders berth can use, highest priority first, and which one a build gets: the one
 * {@code --builder} names, else the first that is available.
 */
public final class Builders {
  public static final String AUTO = "auto";

  private Builders() {}

  /** A builder, whether it can be used here, and why (or why not). */
  public record Availability(String name, int priority, boolean available, String detail) {}

  public static List<Availability> all(DockerEngine engine) {
    return List.of(nativeBuilder(), docker(engine));
  }

  public static Availability nativeBuilder() {
    Optional<Path> runc = onPath("runc");
    long uid = uid();
    if (runc.isEmpty()) {
      return new Availability(ImageBuilder.NAME, 1, false,
          "runc is not on PATH: only images without apt/pip/run steps can be built");
    }
    if (uid != 0) {
      return new Availability(ImageBuilder.NAME, 1, false,
          "running as uid " + uid + ", not root: only images without apt/pip/run steps can be built");
    }
    return new Availability(ImageBuilder.NAME, 1, true, "runc at " + runc.get() + ", running as root");
  }

  public static Availability docker(DockerEngine engine) {
    if (!engine.available()) {
      return new Availability(DockerBuilder.NAME, 2, false, "no Docker engine answers at " + engine.address());
    }
    String version;
    try {
      version = engine.version();
    } catch (IOException e) {
      return new Availability(DockerBuilder.NAME, 2, false, e.getMessage());
    }
    return new Availability(DockerBuilder.NAME, 2, true, "Docker engine " + version + " at " + engine.address());
  }

  /** The builder {@code requested} names ({@code auto}: the first available, else native). */
  public static Builder choose(String requested, ContentStore store, RunDirectory run, BuildSettings settings,
      BuildListener progress) {
    DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
    String name = requested == null ? AUTO : requested;
    if (name.equals(AUTO)) {
      name = nativeBuilder().available() || !engine.available() ? ImageBuilder.NAME : DockerBuilder.NAME;
    }
    if (name.equals(ImageBuilder.NAME)) {
      return new ImageBuilder(store, settings,
          new ExecStepRunner(store, run, Session.STEP_TIMEOUT, progress), progress);
    }
    if (name.equals(DockerBuilder.NAME)) {
      Availability docker = docker(engine);
      if (!docker.available()) {
        throw new IllegalStateException("--builder docker: " + docker.detail());
      }
      return new DockerBuilder(store, settings, engine, progress);
    }
    throw new IllegalArgumentException("unknown builder '" + requested + "' (berth has: auto, "
        + ImageBuilder.NAME + ", " + DockerBuilder.NAME + ")");
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
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
