package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --label-git}: the revision and source labels of buildx's BUILDX_GIT_LABELS, read back with skopeo. */
@Tag("integration")
@Tag("skopeo")
@Tag("runc")
@Tag("git")
class GitLabelsIT {
  @TempDir Path work;

  private JsonNode labels(Berth berth, Path tree, String layoutName) throws Exception {
    Path layout = work.resolve(layoutName);
    berth.run("build", tree.toString(), "--label-git", "--output", "oci:" + layout + ":app").succeeded();
    String config = Berth.tool(work, "skopeo", "inspect", "--config", "oci:" + layout + ":app");
    return Json.tree(config.getBytes(StandardCharsets.UTF_8)).get("config").get("Labels");
  }

  @Test
  void theCommitAndTheOriginWithoutCredentialsLabelEveryImage() throws Exception {
    Path tree = work.resolve("repo");
    Files.createDirectories(tree.resolve("app"));
    Files.writeString(tree.resolve("app/file"), "one\n");
    Files.writeString(tree.resolve("app/image.yaml"), "base: scratch\ncopy: [{src: file, dest: /file}]\n"
        + "labels: {org.opencontainers.image.revision: overridden, kept: \"yes\"}\n");
    Berth.tool(tree, "git", "init", "-q");
    Berth.tool(tree, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".");
    Berth.tool(tree, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
    Berth.tool(tree, "git", "remote", "add", "origin", "https://ci-bot:s3cret-token@git.example.org/team/images.git");
    String commit = Berth.tool(tree, "git", "rev-parse", "HEAD").strip();
    Berth berth = new Berth(work.resolve("store"));

    JsonNode labels = labels(berth, tree, "clean");
    assertThat(labels.get("org.opencontainers.image.revision").asText()).isEqualTo(commit);
    assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo("https://git.example.org/team/images.git");
    assertThat(labels.get("kept").asText()).isEqualTo("yes");
    assertThat(labels.toString()).doesNotContain("s3cret-token");

    Files.writeString(tree.resolve("app/file"), "changed\n");
    assertThat(labels(berth, tree, "dirty").get("org.opencontainers.image.revision").asText()).isEqualTo(commit + "-dirty");

    Path notGit = work.resolve("plain");
    Files.createDirectories(notGit.resolve("app"));
    Files.writeString(notGit.resolve("app/image.yaml"), "base: scratch\n");
    berth.run("build", notGit.toString(), "--label-git").failedWithOneLine("--label-git: " + notGit + " is not in a git checkout");
  }
}
