package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The bundled example, built by the real jar and checked with skopeo, umoci, runc and dockerd. */
@Tag("integration")
@Tag("skopeo")
@Tag("umoci")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class ExampleImageIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  @TempDir static Path work;
  static Berth berth;
  static String keyName;

  @BeforeAll
  static void buildTheExample() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(EXAMPLES, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "examples/busybox:1").succeeded();
    Berth.Result build = berth.run("build", EXAMPLES.resolve("hello").toString(),
        "--output", "oci:" + work.resolve("layout") + ":hello",
        "--output", "docker-archive:" + work.resolve("hello.tar")).succeeded();
    String row = build.stdout().lines().findFirst().orElseThrow();
    assertThat(row).matches("verified +examples/hello:[0-9a-f]{24}");
    keyName = row.split(" +")[1];
  }

  @Test
  void skopeoReadsTheLayoutWithTheSameDigest() throws Exception {
    String inspect = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + work.resolve("layout") + ":hello");
    JsonNode manifest = Json.tree(inspect.getBytes(StandardCharsets.UTF_8));
    assertThat(manifest.get("mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
    assertThat(manifest.get("layers")).hasSize(3);
    String config = Berth.tool(work, "skopeo", "inspect", "--config", "oci:" + work.resolve("layout") + ":hello");
    JsonNode image = Json.tree(config.getBytes(StandardCharsets.UTF_8));
    assertThat(image.at("/config/Entrypoint").toString()).isEqualTo("[\"/bin/sh\",\"/app/hello.sh\"]");
    assertThat(image.at("/config/WorkingDir").asText()).isEqualTo("/app");
    assertThat(image.at("/config/ExposedPorts").has("8080/tcp")).isTrue();
    assertThat(image.at("/created").asText()).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void umociUnpacksItAndRuncRunsIt() throws Exception {
    Path bundle = work.resolve("bundle");
    Berth.tool(work, "umoci", "unpack", "--image", work.resolve("layout") + ":hello", bundle.toString());
    assertThat(bundle.resolve("rootfs/app/hello.sh")).isExecutable();
    assertThat(bundle.resolve("rootfs/opt/greeting/message.txt")).hasContent("built without a daemon, layer by layer");
    Path config = bundle.resolve("config.json");
    JsonNode runtime = Json.tree(Files.readAllBytes(config));
    ((com.fasterxml.jackson.databind.node.ObjectNode) runtime.get("process")).put("terminal", false);
    Files.write(config, Json.pretty(runtime));
    String output = Berth.tool(work, "runc", "run", "--bundle", bundle.toString(), "berth-example-" + ProcessHandle.current().pid());
    assertThat(output).isEqualTo("hello from berth\nbuilt without a daemon, layer by layer\n");
  }

  @Test
  void dockerLoadsTheArchive() throws Exception {
    String loaded = Berth.tool(work, "/usr/bin/docker", "-H", "unix:///var/run/docker.sock", "load", "-i",
        work.resolve("hello.tar").toString());
    assertThat(loaded).contains(keyName);
    String entrypoint = Berth.tool(work, "/usr/bin/docker", "-H", "unix:///var/run/docker.sock", "image", "inspect",
        "--format", "{{json .Config.Entrypoint}}", keyName);
    assertThat(entrypoint.strip()).isEqualTo("[\"/bin/sh\",\"/app/hello.sh\"]");
    Berth.tool(work, "/usr/bin/docker", "-H", "unix:///var/run/docker.sock", "image", "rm", keyName);
  }

  @Test
  void copiesThroughADockerArchiveKeepTheImage() throws Exception {
    Path archive = work.resolve("copied.tar");
    berth.run("copy", keyName, "docker-archive:" + archive).succeeded();
    berth.run("copy", "docker-archive:" + archive, "copied/hello:1").succeeded();
    String original = berth.run("inspect", keyName, "--raw").succeeded().stdout();
    String copied = berth.run("inspect", "copied/hello:1", "--raw").succeeded().stdout();
    assertThat(Json.tree(copied.getBytes(StandardCharsets.UTF_8)).get("config"))
        .isEqualTo(Json.tree(original.getBytes(StandardCharsets.UTF_8)).get("config"));
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
  }

  @Test
  void aSecondBuildIsCachedAndTheStoreIsIntact() throws Exception {
    Berth.Result again = berth.run("build", EXAMPLES.resolve("hello").toString()).succeeded();
    assertThat(again.stdout().lines().findFirst()).contains("cached     " + keyName);
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
  }

  @Test
  void theQuickStartCommandBuildsTheExampleAndASecondRunBuildsNothing() throws Exception {
    for (String expected : new String[] {"verified", "cached"}) {
      ProcessBuilder quickStart = new ProcessBuilder(EXAMPLES.resolve("build").toString())
          .redirectErrorStream(true);
      quickStart.environment().put("BERTH_STORE", work.resolve("quick-start-store").toString());
      Process process = quickStart.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(output).isZero();
      assertThat(output).containsPattern(expected + " +examples/hello:[0-9a-f]{24}");
    }
    // The launcher trained its class-data archive on the way (a crash while dumping it once went unnoticed).
    Path jar = EXAMPLES.getParent().resolve("berth-cli/target/berth.jar");
    assertThat(jar.resolveSibling("berth.jar.jsa")).exists();
  }
}
