package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build --push against a real registry: verified images are published, failures block and never publish. */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("runc")
class PublishIT {
  static LocalRegistry registry;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  private Path image(Path tree, String name, String base, String verify) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("f.txt"), name);
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: f.txt, dest: /" + name + "}\n"
        + "tags: [\"{key}\", latest]\n" + (verify == null ? "" : "verify:\n  - " + verify + "\n"));
    return folder;
  }

  @Test
  void aFailingCheckStopsPublicationAndBlocksDependentsWhileTheSiblingIsPublished() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/team\n");
    Berth berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "test/busybox:1").succeeded();
    image(tree, "base", "test/busybox:1", "test -f /base");
    image(tree, "good", "base", "test -f /good");
    image(tree, "good-child", "good", null);
    image(tree, "bad", "base", "test -f /missing");
    image(tree, "bad-child", "bad", null);

    Berth.Result run = berth.run("build", tree.toString(), "--push", "--output", "json");
    assertThat(run.exitCode()).isEqualTo(1);
    JsonNode result = Json.tree(run.stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(state(result, "base")).isEqualTo("published");
    assertThat(state(result, "good")).isEqualTo("published");
    assertThat(state(result, "good-child")).isEqualTo("published");
    assertThat(state(result, "bad")).isEqualTo("failed");
    assertThat(state(result, "bad-child")).isEqualTo("blocked");

    String goodKey = key(result, "good");
    String inspect = Berth.tool(work, "skopeo", "inspect", "--tls-verify=false",
        "docker://" + registry.host() + "/team/good:" + goodKey);
    assertThat(inspect).contains("\"Digest\"");
    Berth.tool(work, "skopeo", "inspect", "--tls-verify=false", "docker://" + registry.host() + "/team/good:latest");
    Process missing = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false",
        "docker://" + registry.host() + "/team/bad:latest").redirectErrorStream(true).start();
    missing.getInputStream().readAllBytes();
    assertThat(missing.waitFor()).as("bad was never published").isNotZero();

    String plan = berth.run("plan", tree.toString(), "--push").succeeded().stdout();
    assertThat(plan).containsPattern("cached +good ");

    Berth.Result verify = berth.run("verify", tree.toString(), "--select", "good");
    assertThat(verify.exitCode()).isZero();
    assertThat(verify.stdout()).containsPattern("verified +good:").containsPattern("verified +base:");
    Berth.Result publish = berth.run("publish", tree.toString(), "--select", "good", "--output", "json").succeeded();
    assertThat(state(Json.tree(publish.stdout().getBytes(StandardCharsets.UTF_8)), "good")).isEqualTo("published");
    Berth.Result unverified = berth.run("publish", tree.toString(), "--select", "bad");
    assertThat(unverified.exitCode()).isEqualTo(1);
    assertThat(unverified.stdout()).containsPattern("failed +bad .*not verified");
    Files.writeString(tree.resolve("good/f.txt"), "changed");
    Berth.Result notBuilt = berth.run("verify", tree.toString(), "--select", "good");
    assertThat(notBuilt.stdout()).containsPattern("failed +good .*not built");

    Berth fresh = new Berth(work.resolve("fresh-store"));
    fresh.run("import", rootfs, "--as", "test/busybox:1").succeeded();
    Files.writeString(tree.resolve("good/f.txt"), "good");
    String remotePlan = fresh.run("plan", tree.toString(), "--push", "--select", "good-child").succeeded().stdout();
    assertThat(remotePlan).containsPattern("cached +good-child +[0-9a-f]{24} +in the registry");
    Berth.Result fetched = fresh.run("build", tree.toString(), "--push", "--select", "good-child").succeeded();
    assertThat(fetched.stderr()).contains("good-child: fetching from the registry").doesNotContain("building");
  }

  private static String state(JsonNode result, String name) {
    for (JsonNode image : result.get("images")) {
      if (image.get("name").asText().equals(name)) {
        return image.get("state").asText();
      }
    }
    throw new AssertionError("no " + name);
  }

  private static String key(JsonNode result, String name) {
    for (JsonNode image : result.get("images")) {
      if (image.get("name").asText().equals(name)) {
        return image.get("key").asText();
      }
    }
    throw new AssertionError("no " + name);
  }
}
