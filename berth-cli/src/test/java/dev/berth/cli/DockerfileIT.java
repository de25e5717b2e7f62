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

/** Dockerfiles and docker-pkg trees built natively, as images of a tree. */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
@Tag("runc")
class DockerfileIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  @TempDir static Path work;
  static Berth berth;

  @BeforeAll
  static void base() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "examples/busybox:1").succeeded();
  }

  @Test
  void aDockerfileFolderBuildsWithItsConfig() throws Exception {
    Path folder = Files.createDirectories(work.resolve("tree/svc"));
    Files.writeString(folder.resolve("hello.txt"), "hello");
    Files.writeString(folder.resolve("Dockerfile"), """
        # syntax=docker/dockerfile:1
        FROM examples/busybox:1
        ARG GREETING=hi
        ENV APP_HOME=/srv/app \\
            MODE=prod
        WORKDIR /srv
        WORKDIR app
        COPY hello.txt ./
        RUN echo "$GREETING from $MODE" > greeting.txt && rm /bin/vi
        SHELL ["/bin/sh", "-ec"]
        RUN test -f hello.txt
        USER 1000:1000
        EXPOSE 8080/tcp
        LABEL org.opencontainers.image.title=svc
        ENTRYPOINT ["/bin/cat"]
        CMD ["greeting.txt"]
        """);
    Berth.Result built = berth.run("build", work.resolve("tree").toString(),
        "--output", "oci:" + work.resolve("layout") + ":svc").succeeded();
    assertThat(built.stdout()).containsPattern("verified +svc:");
    JsonNode config = Json.tree(Berth.tool(work, "skopeo", "inspect", "--config", "oci:" + work.resolve("layout") + ":svc")
        .getBytes(StandardCharsets.UTF_8)).get("config");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/srv/app");
    assertThat(config.get("User").asText()).isEqualTo("1000:1000");
    assertThat(config.get("Env").toString()).contains("APP_HOME=/srv/app").contains("MODE=prod").doesNotContain("GREETING");
    assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"/bin/cat\"]");
    assertThat(config.get("Cmd").toString()).isEqualTo("[\"greeting.txt\"]");
    assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    Path bundle = work.resolve("bundle");
    Berth.tool(work, "umoci", "unpack", "--image", work.resolve("layout") + ":svc", bundle.toString());
    assertThat(bundle.resolve("rootfs/srv/app/hello.txt")).hasContent("hello");
    assertThat(bundle.resolve("rootfs/srv/app/greeting.txt")).hasContent("hi from prod");
    assertThat(bundle.resolve("rootfs/bin/vi")).doesNotExist();
  }

  @Test
  void aDockerfileErrorNamesFileAndLine() throws Exception {
    Path folder = Files.createDirectories(work.resolve("bad/broken"));
    Files.writeString(folder.resolve("Dockerfile"), "FROM examples/busybox:1\nFROBNICATE now\n");
    berth.run("plan", work.resolve("bad").toString()).failedWithOneLine("Dockerfile:2");
  }

  @Test
  void theDockerPkgExampleBuildsPassesItsTestScriptsAndIsPublished() throws Exception {
    try (dev.berth.testing.LocalRegistry registry = dev.berth.testing.LocalRegistry.startPlain()) {
      Path tree = work.resolve("docker-pkg-example");  // a copy: a build writes .berth/ in its tree
      Berth.tool(work, "cp", "-r", EXAMPLES.resolve("docker-pkg").toString(), tree.toString());
      Berth.tool(work, "rm", "-rf", tree.resolve(".berth").toString());
      Berth.Result result = berth.run("build", tree.toString(), "--push",
          "--registry", registry.host() + "/docker-pkg");
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      for (String image : new String[] {"base", "tools", "worker", "cron", "web", "busybox-extra"}) {
        assertThat(result.stdout()).containsPattern("published +" + image + ":");
        String key = result.stdout().lines().filter(l -> l.matches("published +" + image + ":.*")).findFirst()
            .orElseThrow().split(":")[1].strip();
        Berth.tool(work, "skopeo", "inspect", "--tls-verify=false",
            "docker://" + registry.host() + "/docker-pkg/" + image + ":" + key);
      }
      assertThat(result.stdout()).containsPattern("verified +web--build:");
      String names = berth.run("store", "ls").succeeded().stdout();
      assertThat(names).containsPattern("worker:[0-9][^ ]*-[0-9]");
    }
  }

  @Test
  void aBuildArgReachesTheRunStepsAndTheKey() throws Exception {
    Path folder = Files.createDirectories(work.resolve("args/greet"));
    Files.writeString(folder.resolve("Dockerfile"), """
        FROM examples/busybox:1
        ARG GREETING=hi
        RUN echo "$GREETING" > /greeting.txt
        """);
    Path tree = work.resolve("args");
    String defaultKey = berth.run("plan", tree.toString()).succeeded().stdout();
    String argumentKey = berth.run("plan", tree.toString(), "--build-arg", "GREETING=hello").succeeded().stdout();
    assertThat(argumentKey.lines().findFirst()).isNotEqualTo(defaultKey.lines().findFirst());
    berth.run("build", tree.toString(), "--build-arg", "GREETING=hello",
        "--output", "oci:" + work.resolve("args-layout") + ":greet").succeeded();
    Path bundle = work.resolve("args-bundle");
    Berth.tool(work, "umoci", "unpack", "--image", work.resolve("args-layout") + ":greet", bundle.toString());
    assertThat(bundle.resolve("rootfs/greeting.txt")).hasContent("hello");
  }

  @Test
  void aControlFileThatDisagreesIsReportedAndAConfigElsewhereIsRead() throws Exception {
    Path copy = work.resolve("pkg-copy");
    Berth.tool(work, "cp", "-r", EXAMPLES.resolve("docker-pkg").toString(), copy.toString());
    Files.writeString(copy.resolve("images/cron/control"), "Package: cron\nDepends: base\n");
    Path config = work.resolve("elsewhere.yaml");
    Files.move(copy.resolve("config.yaml"), config);
    Berth.Result missing = berth.run("plan", copy.toString(), "--config", work.resolve("nowhere.yaml").toString());
    missing.failedWithOneLine("nowhere.yaml");
    Berth.Result planned = berth.run("plan", copy.toString(), "--config", config.toString()).succeeded();
    assertThat(planned.stderr()).contains("warning: ").contains("cron/control")
        .contains("Depends does not list 'worker'");
    assertThat(planned.stdout()).contains("cron").contains("web");
  }

  @Test
  void aDockerPkgTreeInsideALargerTreeReadsItsOwnConfig() throws Exception {
    Path larger = Files.createDirectories(work.resolve("larger"));  // hello and the docker-pkg tree, side by side
    for (String example : new String[] {"hello", "docker-pkg"}) {
      Berth.tool(work, "cp", "-r", EXAMPLES.resolve(example).toString(), larger.resolve(example).toString());
    }
    String plan = berth.run("plan", larger.toString()).succeeded().stdout();
    assertThat(plan).contains("hello").contains("cron").contains("web--build");
  }
}
