package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * berth killed (kill -9) while the engine runs a RUN step of {@code --builder docker}: the engine
 * sees the build's connection close, cancels the build and removes its container (berth asks for
 * {@code forcerm}), so nothing of the dead berth keeps running there.
 */
@Tag("integration")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerBuilderKillIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void theEngineRemovesTheStepContainerOfAKilledBerth() throws Exception {
    Berth berth = new Berth(work.resolve("store"));
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
    String marker = "berth-kill-" + UUID.randomUUID().toString().substring(0, 8);
    Path image = Files.createDirectories(work.resolve("tree/slow"));
    Files.writeString(image.resolve("image.yaml"), "base: test/busybox:1\nrun:\n  - sleep 10 && echo " + marker + " > /m\n");

    Process build = berth.start("build", image.getParent().toString(), "--builder", "docker");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (containers(marker).isEmpty() && build.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(containers(marker)).as("the engine runs the step").hasSize(1);
    build.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (!containers(marker).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(containers(marker)).as("containers of the killed build").isEmpty();
  }

  /** The engine's containers (running or not) whose command holds {@code marker}. */
  private List<String> containers(String marker) throws Exception {
    String listing = Berth.tool(work, "/usr/bin/docker", "-H", "unix:///var/run/docker.sock", "ps", "-a", "--no-trunc",
        "--format", "{{.ID}} {{.Command}}");
    return listing.lines().filter(line -> line.contains(marker)).toList();
  }
}
