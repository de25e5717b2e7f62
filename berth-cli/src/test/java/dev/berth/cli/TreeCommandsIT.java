package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** plan, status, graph and update on a small tree, through the real jar. */
@Tag("integration")
@Tag("runc")
class TreeCommandsIT {
  @TempDir Path work;
  Path tree;
  Berth berth;

  @BeforeEach
  void tree() throws Exception {
    tree = Files.createDirectories(work.resolve("tree"));
    berth = new Berth(work.resolve("store"));
    image("base", "scratch", "base (1.0-1) unstable; urgency=medium\n\n  * first\n\n -- A <a@b>  Sun, 22 Nov 2026 10:00:00 +0000\n");
    image("app", "base", "app (2.0-1) unstable; urgency=medium\n\n  * first\n\n -- A <a@b>  Sun, 22 Nov 2026 10:00:00 +0000\n");
    image("app-extra", "app", null);
    image("other", "scratch", null);
  }

  private void image(String name, String base, String changelog) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("f.txt"), name);
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: f.txt, dest: /" + name + "}\n");
    if (changelog != null) {
      Files.writeString(folder.resolve("changelog"), changelog);
    }
  }

  @Test
  void planSaysWhatAndWhyInJson() throws Exception {
    JsonNode plan = Json.tree(berth.run("plan", tree.toString(), "--output", "json").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(plan.get("images")).hasSize(4);
    JsonNode app = plan.get("images").get(1);
    assertThat(app.get("name").asText()).isEqualTo("app");
    assertThat(app.get("action").asText()).isEqualTo("build");
    assertThat(app.get("reason").asText()).isEqualTo("new");
    assertThat(app.get("dependsOn").get(0).asText()).isEqualTo("base");
    assertThat(app.get("key").asText()).matches("[0-9a-f]{24}");

    berth.run("build", tree.toString()).succeeded();
    String again = berth.run("plan", tree.toString()).succeeded().stdout();
    assertThat(again).contains("0 to build, 4 cached");

    Files.writeString(tree.resolve("app/f.txt"), "changed");
    String changed = berth.run("plan", tree.toString(), "--select", "app-extra").succeeded().stdout();
    assertThat(changed).containsPattern("build +app +[0-9a-f]{24} +input changed: f.txt")
        .containsPattern("build +app-extra +[0-9a-f]{24} +parent app changed")
        .contains("cached   base").doesNotContain("other");
  }

  @Test
  void versionsBecomeTagsAndUpdateCascadesToDependents() throws Exception {
    Berth.Result build = berth.run("build", tree.toString()).succeeded();
    String names = berth.run("store", "ls").succeeded().stdout();
    assertThat(names).contains("base:1.0-1").contains("app:2.0-1");

    Berth.Result update = berth.run("update", "base", tree.toString(), "--reason", "New CA bundle",
        "--version", "1.1-1").succeeded();
    assertThat(update.stdout()).isEqualTo("base 1.1-1\napp 2.0-1-s1\n");
    assertThat(Files.readString(tree.resolve("app/changelog"))).startsWith("app (2.0-1-s1) wikimedia; urgency=high\n\n"
        + "   Refresh for update in parent image base:\n   New CA bundle\n");
    assertThat(tree.resolve("other/changelog")).doesNotExist();

    assertThat(update.stderr()).contains("app-extra: no changelog, not versioned");
    berth.run("update", "app-extra", tree.toString(), "--reason", "x")
        .failedWithOneLine("app-extra has no changelog; give --version to start one");
    berth.run("update", "base", tree.toString(), "--reason", "x", "--version", "1.2~rc1")
        .failedWithOneLine("version '1.2~rc1' of base is not a valid tag");
    assertThat(Files.readString(tree.resolve("base/changelog"))).startsWith("base (1.1-1)");
    assertThat(build.exitCode()).isZero();
  }

  @Test
  void statusAndGraphShowTheLastRun() throws Exception {
    JsonNode built = Json.tree(berth.run("build", tree.toString(), "--output", "json").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(built.get("images").get(0).get("state").asText()).isEqualTo("verified");
    Files.writeString(tree.resolve("other/image.yaml"), "base: scratch\ncopy:\n  - {src: missing, dest: /x}\n");
    berth.run("build", tree.toString(), "--output", "json").failedWithOneLine("other: ");

    String status = berth.run("status", tree.toString()).succeeded().stdout();
    assertThat(status).containsPattern("verified +app ").containsPattern("failed +other .*does not exist");
    JsonNode json = Json.tree(berth.run("status", tree.toString(), "--output", "json").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(json.get("images").get(0).get("state").asText()).isEqualTo("verified");
    assertThat(json.get("images").get(3).get("state").asText()).isEqualTo("failed");

    String dot = berth.run("graph", tree.toString()).succeeded().stdout();
    assertThat(dot).startsWith("digraph berth {").contains("label=\"other\\nfailed\", color=red").contains(" -> ");
    String mermaid = berth.run("graph", tree.toString(), "--format", "mermaid").succeeded().stdout();
    assertThat(mermaid).startsWith("graph TD").contains("-->");
  }
}
