package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan/build --affected-by} over a tree built for two platforms: on each platform the images whose
 * SBOM holds the package, and those built on them, are rebuilt (and only they), each gets its index again,
 * and the run's record is removed once every platform is done. skopeo reads the indexes from the store.
 */
@Tag("integration")
@Tag("skopeo")
@Tag("runc")
class MultiPlatformAffectedIT {
  @TempDir Path work;

  private static JsonNode json(Berth.Result result) {
    return Json.tree(result.stdout().getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> names(JsonNode images) {
    List<String> out = new ArrayList<>();
    images.forEach(image -> out.add(image.get("name").asText()));
    return out;
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.path(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  @Test
  void affectedByRebuildsTheHoldersOnEveryPlatformAndTheirIndexes() throws Exception {
    Path store = work.resolve("store");
    Berth berth = PlatformFixtures.storeWithBusyboxIndex(work, store);
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "platforms: [linux/amd64, linux/arm64]\n");
    Path holder = SbomIT.image(tree, "holder", "base: test/busybox:1\ncopy:\n  - {src: status, dest: /var/lib/dpkg/status}\n");
    Files.writeString(holder.resolve("status"), SbomTransferIT.STATUS);
    PlatformFixtures.image(tree, "app", "holder", "");
    PlatformFixtures.image(tree, "other", "test/busybox:1", "");
    JsonNode first = json(berth.run("build", tree.toString(), "--output", "json").succeeded());

    JsonNode plan = json(berth.run("plan", tree.toString(), "--affected-by", "jq", "--output", "json").succeeded());
    assertThat(plan.get("platforms")).hasSize(2);
    for (JsonNode part : plan.get("platforms")) {
      assertThat(names(part.get("images"))).as("%s", part.get("platform")).containsExactly("holder", "app");
      assertThat(find(part.get("images"), "name", "holder").get("reason").asText()).contains("jq 1.6");
      assertThat(find(part.get("images"), "name", "app").get("reason").asText()).contains("jq 1.6");
      part.get("images").forEach(item -> assertThat(item.get("action").asText()).isEqualTo("build"));
    }
    assertThat(names(plan.get("indexes"))).containsExactly("holder", "app");
    for (String name : List.of("holder", "app")) {
      JsonNode index = find(plan.get("indexes"), "name", name);
      assertThat(index.get("action").asText()).as("the index of %s, written again", name).isEqualTo("build");
      assertThat(index.get("key").asText()).isEqualTo(find(first.get("indexes"), "name", name).get("key").asText());
      assertThat(index.get("platforms").toString()).isEqualTo("[\"linux/amd64\",\"linux/arm64\"]");
    }

    JsonNode rebuilt = json(berth.run("build", tree.toString(), "--affected-by", "jq", "--output", "json").succeeded());
    for (JsonNode part : rebuilt.get("platforms")) {
      assertThat(names(part.get("images"))).containsExactly("holder", "app");
      part.get("images").forEach(image -> assertThat(image.get("state").asText()).as("%s", image)
          .isIn("built", "verified"));
      JsonNode before = find(first.get("platforms"), "platform", part.get("platform").asText()).get("images");
      assertThat(find(part.get("images"), "name", "app").get("key").asText())
          .isEqualTo(find(before, "name", "app").get("key").asText());
    }
    assertThat(names(rebuilt.get("indexes"))).containsExactly("holder", "app");
    for (String name : List.of("holder", "app")) {
      JsonNode index = find(rebuilt.get("indexes"), "name", name);
      assertThat(index.get("key").asText()).isEqualTo(find(first.get("indexes"), "name", name).get("key").asText());
      byte[] raw = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + store + ":" + name + ":"
          + index.get("key").asText()).getBytes(StandardCharsets.UTF_8);
      assertThat(Digest.sha256(raw).toString()).isEqualTo(index.get("digest").asText());
      assertThat(ImageIndex.parse(raw).manifests()).extracting(child -> child.platform().toString())
          .containsExactly("linux/amd64", "linux/arm64");
    }
    assertThat(tree.resolve(".berth/affected-by.json")).as("finished on every platform").doesNotExist();

    JsonNode none = json(berth.run("build", tree.toString(), "--affected-by", "libfoo", "--output", "json").succeeded());
    none.get("platforms").forEach(part -> assertThat(part.get("images")).isEmpty());
    assertThat(none.get("indexes")).isEmpty();
  }

  /** The package only in the amd64 image: arm64 rebuilds nothing, and each index takes its arm64 child as it is. */
  @Test
  @Tag("qemu")
  void anImageAffectedOnOnePlatformKeepsItsOtherChildInTheIndex() throws Exception {
    Path store = work.resolve("store");
    Berth berth = PlatformFixtures.storeWithBusyboxIndex(work, store);
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "platforms: [linux/amd64, linux/arm64]\n");
    // each platform's step keeps its own dpkg status: jq on x86_64, jo on aarch64 (run under qemu)
    Path files = SbomIT.image(tree, "files", "base: test/busybox:1\ncopy:\n  - {src: status-jq, dest: /s/x86_64}\n"
        + "  - {src: status-jo, dest: /s/aarch64}\n");
    Files.writeString(files.resolve("status-jq"), SbomTransferIT.STATUS);
    Files.writeString(files.resolve("status-jo"), SbomTransferIT.STATUS.replace("jq", "jo").replace("amd64", "arm64"));
    SbomIT.image(tree, "holder", "base: files\nrun:\n  - mkdir -p /var/lib/dpkg && cp /s/$(uname -m) "
        + "/var/lib/dpkg/status\n");
    PlatformFixtures.image(tree, "app", "holder", "");
    JsonNode first = json(berth.run("build", tree.toString(), "--output", "json").succeeded());
    String arm64Key = find(find(first.get("platforms"), "platform", "linux/arm64").get("images"), "name", "holder")
        .get("key").asText();

    JsonNode plan = json(berth.run("plan", tree.toString(), "--affected-by", "jq", "--output", "json").succeeded());
    assertThat(names(find(plan.get("platforms"), "platform", "linux/amd64").get("images")))
        .containsExactly("files", "holder", "app");  // files: needed, as it is
    assertThat(find(plan.get("platforms"), "platform", "linux/arm64").get("images")).isEmpty();
    assertThat(find(plan.get("indexes"), "name", "holder").get("key").asText()).as("over the arm64 child as it is")
        .isEqualTo(find(first.get("indexes"), "name", "holder").get("key").asText());
    assertThat(find(plan.get("indexes"), "name", "holder").get("action").asText()).isEqualTo("build");

    JsonNode rebuilt = json(berth.run("build", tree.toString(), "--affected-by", "jq", "--output", "json").succeeded());
    assertThat(names(find(rebuilt.get("platforms"), "platform", "linux/amd64").get("images")))
        .containsExactly("files", "holder", "app");
    assertThat(find(find(rebuilt.get("platforms"), "platform", "linux/amd64").get("images"), "name", "app")
        .get("state").asText()).isIn("built", "verified");
    assertThat(find(rebuilt.get("platforms"), "platform", "linux/arm64").get("images")).isEmpty();
    JsonNode index = find(rebuilt.get("indexes"), "name", "holder");
    assertThat(index.get("state").asText()).isIn("built", "cached");
    assertThat(index.get("platforms").toString()).contains("linux/amd64", "linux/arm64");
    byte[] raw = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + store + ":holder:" + index.get("key").asText())
        .getBytes(StandardCharsets.UTF_8);
    byte[] arm64 = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + store + ":holder:" + arm64Key)
        .getBytes(StandardCharsets.UTF_8);
    assertThat(ImageIndex.parse(raw).manifests().get(1).digest()).as("the arm64 child, as it was")
        .isEqualTo(Digest.sha256(arm64));
    assertThat(tree.resolve(".berth/affected-by.json")).doesNotExist();
  }
}
