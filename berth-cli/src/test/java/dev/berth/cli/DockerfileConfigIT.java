package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * MAINTAINER, HEALTHCHECK and ONBUILD built by berth and by dockerd's legacy builder from the same
 * Dockerfiles (after moby's TestBuildOnBuild*, TestBuildHealthcheck*): the same config, and the
 * triggers run in the image built on it.
 */
@Tag("integration")
@Tag("skopeo")
@Tag("umoci")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerfileConfigIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String BASE = "berth-refs-it/busybox:1";
  static final String PARENT = "berth-refs-it/parent:1";
  static final String PARENT_DOCKERFILE = """
      FROM %s
      MAINTAINER Jane Doe <jane@example.org>
      ENV WHO=parent
      HEALTHCHECK --interval=5s --timeout=3s --start-period=1s --retries=2 CMD test -f /triggered || exit 1
      ONBUILD RUN echo "built on $WHO" > /triggered
      ONBUILD LABEL triggered=yes
      """.formatted(BASE);
  static final String CHILD_DOCKERFILE = "FROM " + PARENT + "\nENV WHO=child\n";
  @TempDir static Path work;
  static Berth berth;

  @BeforeAll
  static void sameBaseInBoth() throws Exception {
    berth = new Berth(work.resolve("store"));
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", busybox, "--as", BASE).succeeded();
    Path archive = work.resolve("base.tar");
    berth.run("copy", BASE, "docker-archive:" + archive).succeeded();
    docker("load", "-i", archive.toString());
  }

  @AfterAll
  static void removeFromTheEngine() throws Exception {
    docker("image", "rm", "-f", BASE, PARENT, "berth-refs-it/child:1");
  }

  @Test
  void configAndTriggersMatchTheLegacyBuilder() throws Exception {
    Path parent = Files.createDirectories(work.resolve("parent/parent"));
    Files.writeString(parent.resolve("Dockerfile"), PARENT_DOCKERFILE);
    String built = berth.run("build", work.resolve("parent").toString()).succeeded().stdout();
    var key = Pattern.compile("verified +(parent:[0-9a-f]+)").matcher(built);
    assertThat(key.find()).as(built).isTrue();
    berth.run("copy", key.group(1), PARENT).succeeded();
    docker("build", "--network", "host", "-t", PARENT, parent.toString());

    Path child = Files.createDirectories(work.resolve("child/child"));
    Files.writeString(child.resolve("Dockerfile"), CHILD_DOCKERFILE);
    Path layout = work.resolve("child-layout");
    berth.run("build", work.resolve("child").toString(), "--pull=never", "--output", "oci:" + layout + ":app")
        .succeeded();
    docker("build", "--network", "host", "-t", "berth-refs-it/child:1", child.toString());
    // skopeo's conversion to OCI drops Healthcheck and OnBuild: ask the engine for its config.
    JsonNode theirs = Json.tree(docker("image", "inspect", "--format", "{{json .Config}}", "berth-refs-it/child:1")
        .getBytes(StandardCharsets.UTF_8));
    for (String field : new String[] {"Healthcheck", "OnBuild", "Labels", "Env"}) {
      assertThat(present(config(layout).path(field))).as(field).isEqualTo(present(theirs.path(field)));
    }
    JsonNode theirParent = Json.tree(docker("image", "inspect", "--format", "{{json .}}", PARENT)
        .getBytes(StandardCharsets.UTF_8));
    assertThat(config(layout).path("Healthcheck").path("Test").toString())
        .isEqualTo("[\"CMD-SHELL\",\"test -f /triggered || exit 1\"]");
    assertThat(config(layout).path("Labels").path("triggered").asText()).isEqualTo("yes");
    Path parentLayout = work.resolve("parent-layout");
    berth.run("copy", PARENT, "oci:" + parentLayout + ":app").succeeded();
    assertThat(config(parentLayout).path("OnBuild").toString())
        .isEqualTo(theirParent.path("Config").path("OnBuild").toString())
        .isEqualTo("[\"RUN echo \\\"built on $WHO\\\" > /triggered\",\"LABEL triggered=yes\"]");
    assertThat(theirParent.path("Author").asText()).isEqualTo("Jane Doe <jane@example.org>");
    assertThat(Json.tree(Berth.tool(work, "skopeo", "inspect", "--config", "--raw", "oci:" + parentLayout + ":app")
        .getBytes(StandardCharsets.UTF_8)).path("author").asText()).isEqualTo("Jane Doe <jane@example.org>");
    Path bundle = work.resolve("child-bundle");
    Berth.tool(work, "umoci", "unpack", "--image", layout + ":app", bundle.toString());
    assertThat(bundle.resolve("rootfs/triggered")).hasContent("built on parent\n");
  }

  /** The engine writes null where berth leaves a field out: the same thing. */
  private static JsonNode present(JsonNode node) {
    return node.isNull() ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
  }

  private static JsonNode config(Path layout) throws Exception {
    return Json.tree(Berth.tool(work, "skopeo", "inspect", "--config", "--raw", "oci:" + layout + ":app")
        .getBytes(StandardCharsets.UTF_8)).get("config");
  }

  private static String docker(String... args) throws Exception {
    String[] command = Stream.concat(Stream.of(DockerfileParityIT.DOCKER, "-H", DockerfileParityIT.SOCKET),
        Stream.of(args)).toArray(String[]::new);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("DOCKER_BUILDKIT", "0");
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("docker %s: %s", String.join(" ", args), output).isZero();
    return output;
  }
}
