package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The {@code docker-daemon:NAME:TAG} transport, to and from dockerd over its socket, checked with skopeo's own docker-daemon transport. */
@Tag("integration")
@Tag("skopeo")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
class DockerDaemonTransportIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String IMAGE = "berth-test/daemon-transport:1";
  @TempDir Path work;

  @Test
  void anImageGoesIntoTheEngineAndComesBackTheSame() throws Exception {
    Berth berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "base:1").succeeded();
    try {
      assertThat(berth.run("copy", "base:1", "docker-daemon:" + IMAGE).succeeded().stdout())
          .contains("loaded " + IMAGE + " into the engine");
      String storeManifest = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + work.resolve("store") + ":base:1");
      String configDigest = Json.tree(storeManifest.getBytes(StandardCharsets.UTF_8)).get("config").get("digest").asText();
      assertThat(Berth.tool(work, "/usr/bin/docker", "image", "inspect", "--format", "{{.Id}}", IMAGE).strip())
          .isEqualTo(configDigest);
      JsonNode skopeoView = Json.tree(Berth.tool(work, "skopeo", "inspect", "docker-daemon:" + IMAGE)
          .getBytes(StandardCharsets.UTF_8));
      assertThat(skopeoView.get("Layers")).hasSize(1);

      Path layout = work.resolve("layout");
      berth.run("copy", "docker-daemon:" + IMAGE, "oci:" + layout + ":back").succeeded();
      String back = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + layout + ":back");
      assertThat(Json.tree(back.getBytes(StandardCharsets.UTF_8)).get("config").get("digest").asText())
          .as("the same image came back").isEqualTo(configDigest);
      berth.run("copy", "docker-daemon:" + IMAGE, "back:1").succeeded();
      assertThat(berth.run("store", "ls").succeeded().stdout()).contains("back:1");

      berth.run("copy", "base:1", "docker-daemon:berth-test/no-tag").failedWithOneLine("docker-daemon: needs NAME:TAG");
      berth.run("copy", "docker-daemon:berth-test/not-there:1", "oci:" + layout + ":x")
          .failedWithOneLine("berth-test/not-there:1");
    } finally {
      new ProcessBuilder("/usr/bin/docker", "rmi", "-f", IMAGE).redirectErrorStream(true).start().waitFor(1, TimeUnit.MINUTES);
    }
  }
}
