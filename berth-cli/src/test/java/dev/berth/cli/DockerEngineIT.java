package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** test.sh checks against the Docker engine (dockerd started by scripts/test), and --load. */
@Tag("integration")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerEngineIT {
  @TempDir Path work;

  @Test
  void testScriptsRunOnTheHostAgainstTheLoadedImageAndLoadPutsImagesInTheEngine() throws Exception {
    Berth berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "test/busybox:1").succeeded();
    Path tree = Files.createDirectories(work.resolve("tree"));
    Path good = Files.createDirectories(tree.resolve("good"));
    Files.writeString(good.resolve("msg"), "from the image");
    Files.writeString(good.resolve("image.yaml"), "base: test/busybox:1\ncopy:\n  - {src: msg, dest: /msg}\n");
    Files.writeString(good.resolve("test.sh"), "#!/bin/sh\nset -e\ntest \"$(docker run --rm \"$1\" cat /msg)\" = \"from the image\"\n"
        + "echo checked \"$1\"\n");
    Path bad = Files.createDirectories(tree.resolve("bad"));
    Files.writeString(bad.resolve("image.yaml"), "base: test/busybox:1\n");
    Files.writeString(bad.resolve("test.sh"), "#!/bin/sh\ndocker run --rm \"$1\" test -f /missing\n");
    for (Path script : new Path[] {good.resolve("test.sh"), bad.resolve("test.sh")}) {
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Berth.Result result = berth.run("build", tree.toString(), "--load");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).containsPattern("verified +good:").containsPattern("failed +bad .*test.sh exited 1");
    assertThat(result.stderr()).contains("good | checked good:").contains("good: loaded into the engine as good:");
    String key = result.stdout().lines().filter(l -> l.contains(" good:")).findFirst().orElseThrow().split(":")[1].strip();
    String inspect = Berth.tool(work, "/usr/bin/docker", "-H", "unix:///var/run/docker.sock", "image", "inspect",
        "--format", "{{.Id}}", "good:" + key);
    assertThat(inspect.strip()).startsWith("sha256:");
    Berth.tool(work, "/usr/bin/docker", "-H", "unix:///var/run/docker.sock", "image", "rm", "-f", "good:" + key);
  }
}
