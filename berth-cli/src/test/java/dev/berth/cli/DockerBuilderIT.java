package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code --builder docker} against Debian's dockerd (started by scripts/test) next to the native
 * builder: the same tree plans alike, builds, verifies and publishes with both, and the images have
 * the same files and configuration.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerBuilderIT {
  private static final String DOCKER = "/usr/bin/docker";
  private static final String SOCKET = "unix:///var/run/docker.sock";

  @TempDir Path work;
  private Path tree;

  @BeforeEach
  void tree() throws Exception {
    tree = Files.createDirectories(work.resolve("tree"));
    Path base = Files.createDirectories(tree.resolve("base"));
    Files.writeString(base.resolve("image.yaml"), """
        base: test/busybox:1
        steps:
          - run: mkdir -p /srv && echo base > /srv/base.txt && rm /bin/vi && echo 'svc:x:1234:1234::/srv:/bin/sh' >> /etc/passwd && echo 'svc:x:1234:' >> /etc/group
        env: {TIER: base, QUOTED: 'a "b" $HOME'}
        verify:
          - test "$(cat /srv/base.txt)" = base
        """);
    Path app = Files.createDirectories(tree.resolve("app"));
    Files.createDirectories(app.resolve("files/bin"));
    Files.writeString(app.resolve("files/bin/run.sh"), "#!/bin/sh\necho hello from $TIER\n");
    Files.writeString(app.resolve("files/notes.txt"), "notes\n");
    Files.writeString(app.resolve("owned.txt"), "mine\n");
    Files.createDirectories(app.resolve("layer/lib"));
    Files.writeString(app.resolve("layer/lib/module.py"), "print('layer')\n");
    Files.writeString(app.resolve("image.yaml"), """
        base: base
        copy:
          - {src: files/, dest: /srv/app, mode: "0755"}
          - {src: owned.txt, dest: /srv/owned.txt, owner: "svc:svc"}
        layers:
          - {src: layer, dest: /opt/layer}
        env: {GREETING: hi}
        workdir: /srv/app
        user: svc
        entrypoint: ["/bin/sh", "/srv/app/bin/run.sh"]
        cmd: ["--loud"]
        expose: ["8080", "9090/udp"]
        labels: {org.example.team: platform}
        verify:
          - /srv/app/bin/run.sh | grep -q "hello from base"
          - test "$(stat -c %u:%g /srv/owned.txt)" = 1234:1234
          - test -f /opt/layer/lib/module.py && test ! -e /bin/vi
        """);
  }

  @Test
  void theSameTreeBuildsVerifiesAndPublishesWithBothBuildersToTheSameFilesAndConfig() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      Map<String, String> keys = null;
      Map<String, Path> rootfs = new TreeMap<>();
      for (String builder : new String[] {"native", "docker"}) {
        Berth berth = berth(builder);
        String plan = berth.run("plan", tree.toString()).succeeded().stdout();
        assertThat(plan).contains("base").contains("app");
        Berth.Result built = berth.run("build", tree.toString(), "--builder", builder, "--push",
            "--registry", registry.host() + "/" + builder);
        assertThat(built.exitCode()).as(built.stderr()).isZero();
        Map<String, String> published = keys(built.stdout(), "published");
        assertThat(published).containsOnlyKeys("base", "app");
        if (keys == null) {
          keys = published;
        } else {
          assertThat(published).as("the content keys do not depend on the builder").isEqualTo(keys);
        }
        if (builder.equals("docker")) {
          assertThat(built.stderr()).contains("app: docker build").contains("Step 1/");
        }
        String reference = registry.host() + "/" + builder + "/app:" + published.get("app");
        Path layout = work.resolve("layout-" + builder);
        Berth.tool(work, "skopeo", "copy", "--src-tls-verify=false", "docker://" + reference, "oci:" + layout + ":app");
        Path bundle = work.resolve("bundle-" + builder);
        Berth.tool(work, "umoci", "unpack", "--image", layout + ":app", bundle.toString());
        rootfs.put(builder, bundle.resolve("rootfs"));
        rootfs.put(builder + "-config", bundle.resolve("config.json"));
      }
      assertThat(Berth.fileTree(rootfs.get("docker"))).isEqualTo(Berth.fileTree(rootfs.get("native")));
      assertThat(runtime(rootfs.get("docker-config"))).isEqualTo(runtime(rootfs.get("native-config")));
      assertThat((String) runtime(rootfs.get("native-config")).get("args")).contains("--loud");
    }
  }

  @Test
  void anErrorInTheEnginesBuildStreamFailsTheImageWithTheEnginesMessage() throws Exception {
    Path broken = Files.createDirectories(tree.resolve("broken"));
    Files.writeString(broken.resolve("image.yaml"), """
        base: base
        steps:
          - run: echo about to fail; exit 3
        """);
    Berth berth = berth("docker");
    Berth.Result result = berth.run("build", tree.toString(), "--builder", "docker");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout()).containsPattern("verified +base:").containsPattern("verified +app:")
        .containsPattern("failed +broken .*docker engine: .*returned a non-zero code: 3");
    assertThat(result.stderr()).contains("broken | about to fail");
    assertThat(Berth.snapshot(work.resolve("store-docker")).toString()).doesNotContain("broken");
  }

  @Test
  void buildersAreListedWithWhyAndPruneRemovesSupersededEngineImagesOnly() throws Exception {
    Berth berth = berth("docker");
    String builders = berth.run("builders").succeeded().stdout();
    assertThat(builders).containsPattern("native +1 +yes +runc at")
        .containsPattern("docker +2 +yes +Docker engine .* at unix://").contains("default: native");

    Berth.Result first = berth.run("build", tree.toString(), "--builder", "docker").succeeded();
    String oldKey = keys(first.stdout(), "verified").get("app");
    Files.writeString(tree.resolve("app/files/notes.txt"), "changed\n");
    Berth.Result second = berth.run("build", tree.toString(), "--builder", "docker").succeeded();
    assertThat(second.stdout()).containsPattern("cached +base:");
    String newKey = keys(second.stdout(), "verified").get("app");
    assertThat(newKey).isNotEqualTo(oldKey);
    assertThat(engineHas("app:" + oldKey)).isTrue();
    String unrelated = "berth-it-unrelated:" + newKey;
    docker("tag", "app:" + newKey, unrelated);
    try {
      String pruned = berth.run("prune", tree.toString()).succeeded().stdout();
      assertThat(pruned).contains("engine: removed app:" + oldKey);
      assertThat(engineHas("app:" + oldKey)).isFalse();
      assertThat(engineHas("app:" + newKey)).isTrue();
      assertThat(engineHas(unrelated)).isTrue();
      assertThat(berth.run("store", "fsck").succeeded().stdout()).doesNotContain("corrupt");
    } finally {
      docker("image", "rm", "-f", unrelated, "app:" + newKey);
    }
  }

  private Berth berth(String builder) throws Exception {
    Berth berth = new Berth(work.resolve("store-" + builder));
    String busybox = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
    return berth;
  }

  private static Map<String, String> keys(String stdout, String state) {
    Map<String, String> keys = new TreeMap<>();
    Matcher matcher = Pattern.compile("(?m)^" + state + " +([^:\\s]+):([0-9a-f]+)").matcher(stdout);
    while (matcher.find()) {
      keys.put(matcher.group(1), matcher.group(2));
    }
    return keys;
  }

  /** What umoci's runtime config takes from the image config: env, args, user, cwd. */
  private static Map<String, Object> runtime(Path configJson) throws IOException {
    JsonNode config = Json.tree(Files.readAllBytes(configJson));
    Map<String, Object> out = new TreeMap<>();
    out.put("env", config.path("process").path("env").toString());
    out.put("args", config.path("process").path("args").toString());
    out.put("cwd", config.path("process").path("cwd").asText());
    out.put("user", config.path("process").path("user").toString());
    JsonNode annotations = config.path("annotations");
    Map<String, String> kept = new TreeMap<>();
    annotations.fields().forEachRemaining(entry -> {
      if (!entry.getKey().startsWith("dev.berth.") && !entry.getKey().contains("created")
          && !entry.getKey().contains("org.opencontainers.image.ref")) {
        kept.put(entry.getKey(), entry.getValue().asText());
      }
    });
    out.put("annotations", kept);
    return out;
  }

  private boolean engineHas(String image) throws Exception {
    Process process = new ProcessBuilder(DOCKER, "-H", SOCKET, "image", "inspect", image).start();
    process.getInputStream().readAllBytes();
    process.getErrorStream().readAllBytes();
    return process.waitFor() == 0;
  }

  private void docker(String... args) throws Exception {
    String[] command = Stream.concat(Stream.of(DOCKER, "-H", SOCKET), Stream.of(args)).toArray(String[]::new);
    Berth.tool(work, command);
  }
}
