package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.store.ContentStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * What a two-platform build hands on, as {@code docker buildx build --platform a,b} does: {@code --output
 * oci:DIR} writes the image's index with both children (read by skopeo, unpacked by umoci), and
 * {@code --load} loads this machine's platform into the Docker engine, saying so.
 */
@Tag("integration")
@Tag("skopeo")
@Tag("umoci")
class MultiPlatformOutputIT {
  @TempDir Path work;

  private static JsonNode json(Berth.Result result) {
    return Json.tree(result.stdout().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.path(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  private Path twoPlatformTree() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "platforms: [linux/amd64, linux/arm64]\n");
    PlatformFixtures.image(tree, "base", "test/busybox:1", "");
    PlatformFixtures.image(tree, "app", "base", "");
    return tree;
  }

  @Test
  void outputOciWritesTheIndexWithEveryChildAndTheirSboms() throws Exception {
    Path tree = twoPlatformTree();
    Path store = work.resolve("store");
    Berth berth = PlatformFixtures.storeWithBusyboxIndex(work, store);
    Path layout = work.resolve("layout");
    Path archive = work.resolve("app.tar");

    var before = Berth.fileTree(store);
    Berth.Result refused = berth.run("build", tree.toString(), "--select", "app", "--output",
        "docker-archive:" + archive);
    refused.failedWithOneLine("docker-archive:" + archive + " holds one platform's image");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(archive).doesNotExist();
    berth.run("build", tree.toString(), "--output", "oci:" + layout + ":app").failedWithOneLine("--select exactly one");
    assertThat(Berth.fileTree(store)).as("the store after refused runs").isEqualTo(before);

    JsonNode built = json(berth.run("build", tree.toString(), "--select", "app", "--output", "oci:" + layout + ":app",
        "--output", "json").succeeded());
    String indexDigest = find(built.get("indexes"), "name", "app").get("digest").asText();
    byte[] raw = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + layout + ":app")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Digest.sha256(raw).toString()).as("the layout's app is the index berth built").isEqualTo(indexDigest);
    ImageIndex index = ImageIndex.parse(raw);
    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).extracting(child -> child.platform().toString())
        .containsExactly("linux/amd64", "linux/arm64");
    ContentStore written = ContentStore.open(layout);
    String[] arches = {"amd64", "arm64"};
    int[] machines = {62, 183};
    for (int i = 0; i < 2; i++) {
      Descriptor child = index.manifests().get(i);
      assertThat(written.resolve("sha256-" + child.digest().hex())).as("the %s child's SBOM referrers", arches[i])
          .isPresent();
      Path single = work.resolve("single-" + arches[i]);
      Berth.tool(work, "skopeo", "--override-arch", arches[i], "copy", "oci:" + layout + ":app",
          "oci:" + single + ":app");
      Path bundle = work.resolve("bundle-" + arches[i]);
      Berth.tool(work, "umoci", "unpack", "--image", single + ":app", bundle.toString());
      assertThat(bundle.resolve("rootfs/app.txt")).hasContent("app");
      assertThat(bundle.resolve("rootfs/base.txt")).hasContent("base");
      assertThat(PlatformFixtures.elfMachine(bundle.resolve("rootfs/bin/busybox"))).as(arches[i]).isEqualTo(machines[i]);
    }

    // Cached on the second run, the same index is written again, to a fresh layout too.
    Path again = work.resolve("layout-again");
    berth.run("build", tree.toString(), "--select", "app", "--output", "oci:" + again).succeeded();
    byte[] rewritten = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + again + ":latest")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Digest.sha256(rewritten).toString()).isEqualTo(indexDigest);
  }

  @Test
  @Tag("dockerd")
  @ResourceLock(SharedResources.DOCKER_ENGINE)
  void loadPutsThisMachinesPlatformIntoTheEngineAndSaysWhich() throws Exception {
    Path tree = twoPlatformTree();
    Files.writeString(tree.resolve("berth.yaml"), "platforms: [linux/arm64, linux/amd64]\n");
    Path store = work.resolve("store");
    Berth berth = PlatformFixtures.storeWithBusyboxIndex(work, store);

    var before = Berth.fileTree(store);
    Berth.Result foreign = berth.run("build", tree.toString(), "--select", "app", "--platform", "linux/arm64,linux/s390x",
        "--load");
    foreign.failedWithOneLine("--load puts this machine's platform (linux/amd64) into the Docker engine, and it is "
        + "not among linux/arm64,linux/s390x");
    assertThat(foreign.exitCode()).isEqualTo(2);
    assertThat(Berth.fileTree(store)).as("the store after a refused --load").isEqualTo(before);

    Berth.Result loaded = berth.run("build", tree.toString(), "--select", "app", "--load", "--output", "json");
    JsonNode built = json(loaded.succeeded());
    String amd64Key = find(find(built.get("platforms"), "platform", "linux/amd64").get("images"), "name", "app")
        .get("key").asText();
    String arm64Key = find(find(built.get("platforms"), "platform", "linux/arm64").get("images"), "name", "app")
        .get("key").asText();
    assertThat(loaded.stderr()).contains("--load: loading the linux/amd64 images only (of linux/arm64,linux/amd64)")
        .contains("app: loaded into the engine as app:" + amd64Key);
    String docker = "/usr/bin/docker";
    try {
      String inspected = Berth.tool(work, docker, "-H", "unix:///var/run/docker.sock", "image", "inspect", "--format",
          "{{.Os}}/{{.Architecture}}", "app:" + amd64Key);
      assertThat(inspected.strip()).isEqualTo("linux/amd64");
      String run = Berth.tool(work, docker, "-H", "unix:///var/run/docker.sock", "run", "--rm", "app:" + amd64Key,
          "cat", "/app.txt");
      assertThat(run.strip()).isEqualTo("app");
      Process absent = new ProcessBuilder(docker, "-H", "unix:///var/run/docker.sock", "image", "inspect",
          "app:" + arm64Key).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(absent.waitFor()).as("the arm64 child is not loaded").isNotZero();
    } finally {
      Berth.tool(work, docker, "-H", "unix:///var/run/docker.sock", "image", "rm", "-f", "app:" + amd64Key);
    }
  }
}
