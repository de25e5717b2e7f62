package dev.berth.doctor;

import dev.berth.emulation.Emulation;
import dev.berth.emulation.EmulationUnavailableException;
import dev.berth.emulation.Execution;
import dev.berth.oci.Platform;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.docker.DockerEngine;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Checks this machine for what berth's builders and features need: root and runc, overlayfs and the
 * {@code attr} tools for RUN steps; a Docker engine for {@code --builder docker}, {@code --load} and
 * test.sh; qemu's binfmt handlers for RUN steps of other architectures; free space in the store.
 */
public final class Doctor {
  /** Below this, the store's disk is reported short: one apt step of a Debian image writes ~100 MB. */
  public static final long LOW_DISK_BYTES = 2L << 30;

  private final Map<String, String> environment;
  private final Path procfs;
  private final Path sysfs;
  private final Path store;

  /** The report: every check, and whether all required ones passed. */
  public record Report(@JsonProperty("ok") boolean ok, @JsonProperty("checks") List<Check> checks) {}

  /** Examines the machine whose file systems are under {@code host} ({@code /}; another root in tests). */
  public Doctor(Map<String, String> environment, Path host, Path store) {
    this.environment = environment;
    this.procfs = host.resolve("proc");
    this.sysfs = host.resolve("sys");
    this.store = store;
  }

  public Report examine() {
    List<Check> checks = new ArrayList<>();
    checks.add(root());
    checks.add(program("runc", "runc", true, "RUN, apt and pip steps (native builder), verify commands"));
    checks.add(overlayfs());
    checks.add(program("attr", "getfattr", true, "reading overlayfs whiteouts of RUN steps"));
    checks.add(docker());
    checks.add(binfmt());
    checks.add(disk());
    return new Report(checks.stream().allMatch(check -> check.ok() || !check.required()), List.copyOf(checks));
  }

  private Check root() {
    String neededFor = "RUN steps in runc over overlayfs (native builder)";
    try {
      int uid = (Integer) Files.getAttribute(procfs.resolve("self"), "unix:uid");
      return uid == 0 ? Check.passed("root", true, "running as root", neededFor)
          : Check.failed("root", true, "running as uid " + uid, neededFor,
              "run berth as root (sudo), or use --builder docker");
    } catch (IOException | UnsupportedOperationException e) {
      return Check.failed("root", true, "cannot tell the user from " + procfs, neededFor, "run berth as root on Linux");
    }
  }

  private Check program(String name, String program, boolean required, String neededFor) {
    Optional<Path> found = onPath(program);
    if (found.isEmpty()) {
      return Check.failed(name, required, program + " is not on PATH", neededFor, "apt-get install " + name);
    }
    return Check.passed(name, required, found.get() + firstLine(found.get(), "--version").map(v -> " (" + v + ")").orElse(""),
        neededFor);
  }

  private Check overlayfs() {
    String neededFor = "RUN steps (each step's layer is an overlayfs upper directory)";
    try {
      boolean listed = Files.readAllLines(procfs.resolve("filesystems")).stream()
          .anyMatch(line -> line.endsWith("\toverlay"));
      if (listed) {
        return Check.passed("overlayfs", true, "the kernel has overlay", neededFor);
      }
      boolean module = Files.isDirectory(sysfs.resolve("module/overlay"));
      return module ? Check.passed("overlayfs", true, "overlay module loaded", neededFor)
          : Check.failed("overlayfs", true, "the kernel lists no overlay file system", neededFor,
              "modprobe overlay (a kernel with CONFIG_OVERLAY_FS)");
    } catch (IOException e) {
      return Check.failed("overlayfs", true, "cannot read " + procfs.resolve("filesystems"), neededFor, "run on Linux");
    }
  }

  private Check docker() {
    String neededFor = "--builder docker, --load, docker-pkg's test.sh, berth layered --load";
    DockerEngine engine = DockerEngine.fromEnvironment(environment);
    if (!engine.available()) {
      return Check.failed("docker", false, "no Docker engine answers at " + engine.address(), neededFor,
          "apt-get install docker.io and start dockerd (or set DOCKER_HOST=unix://PATH)");
    }
    try {
      return Check.passed("docker", false, "Docker engine " + engine.version() + " at " + engine.address(), neededFor);
    } catch (IOException e) {
      return Check.failed("docker", false, engine.address() + ": " + e.getMessage(), neededFor,
          "check that dockerd is running and this user may use its socket");
    }
  }

  /** Whether the other common architecture's RUN steps can run here (arm64 on amd64 and vice versa), as a build checks it. */
  private Check binfmt() {
    String neededFor = "RUN steps of images for another architecture (--platform)";
    Platform host = Platform.host();
    Platform foreign = Platform.parse(host.architecture().equals("arm64") ? "linux/amd64" : "linux/arm64");
    try {
      Execution execution = new Emulation(procfs.resolve("sys/fs/binfmt_misc"), host).check(foreign);
      return Check.passed("qemu-binfmt", false, execution.emulated().map(emulated -> emulated
          + " (flags " + emulated.flags() + ")").orElse(foreign + " natively"), neededFor);
    } catch (EmulationUnavailableException e) {
      return Check.failed("qemu-binfmt", false, e.problem(), neededFor, e.remedy());
    }
  }

  private Check disk() {
    String neededFor = "images, layers and RUN snapshots in the store";
    Path existing = store.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      FileStore files = Files.getFileStore(existing == null ? Path.of("/") : existing);
      long free = files.getUsableSpace();
      String detail = String.format(java.util.Locale.ROOT, "%.1f GiB free for %s", free / (double) (1L << 30), store);
      return free >= LOW_DISK_BYTES ? Check.passed("disk", true, detail, neededFor)
          : Check.failed("disk", true, detail, neededFor,
              "free space (berth store gc, berth prune) or move the store (--store DIR, BERTH_STORE)");
    } catch (IOException e) {
      return Check.failed("disk", true, "cannot tell the free space for " + store, neededFor, "check --store");
    }
  }

  private Optional<Path> onPath(String program) {
    for (String directory : environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** The first line a program prints with {@code argument}, if it answers within five seconds. */
  private static Optional<String> firstLine(Path program, String argument) {
    try {
      Process process = new ProcessBuilder(program.toString(), argument).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return out.lines().findFirst().map(String::strip).filter(line -> !line.isEmpty());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
