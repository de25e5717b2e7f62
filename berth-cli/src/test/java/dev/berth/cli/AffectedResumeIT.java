package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --affected-by} killed with SIGKILL in the middle and run again: the second run takes up
 * the first (the journal shows the holder published by the first run and not built again), finishes
 * the rest, and ends with everything published and the store intact; the package selectors
 * {@code NAME}, {@code NAME@VERSION} and {@code NAME@<VERSION} pick the same images.
 */
@Tag("integration")
@Tag("registry")
@Tag("runc")
class AffectedResumeIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void aKilledAffectedByRunIsResumedByTheSameCommand() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      Berth berth = new Berth(work.resolve("store"));
      String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
      berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
      Path tree = Files.createDirectories(work.resolve("tree"));
      Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/resume\n");
      Path holder = SbomIT.image(tree, "holder", "base: test/busybox:1\ncopy:\n  - {src: status, dest: /var/lib/dpkg/status}\n");
      Files.writeString(holder.resolve("status"), SbomTransferIT.STATUS);
      // its check is slow, so that the run can be killed while it runs
      Path slow = SbomIT.image(tree, "slow", "base: holder\ncopy:\n  - {src: s, dest: /s}\nverify:\n  - sleep 3\n");
      Files.writeString(slow.resolve("s"), "s\n");
      Path other = SbomIT.image(tree, "other", "base: test/busybox:1\ncopy:\n  - {src: o, dest: /o}\n");
      Files.writeString(other.resolve("o"), "o\n");
      Map<String, String> keys = SbomIT.keys(berth.run("build", tree.toString(), "--push", "--output", "json").succeeded());

      for (String selector : List.of("jq", "jq@1.6-2.1", "jq@<1.6-2.1+deb12u1", "jq@<1:0")) {
        List<String> names = new ArrayList<>();
        Json.tree(berth.run("affected", tree.toString(), "--package", selector, "--output", "json").succeeded().stdout()
            .getBytes(StandardCharsets.UTF_8)).path("images").forEach(i -> names.add(i.path("name").asText()));
        assertThat(names).as(selector).containsExactly("holder", "slow");
      }
      assertThat(berth.run("affected", tree.toString(), "--package", "jq@<1.6-2", "--output", "json").succeeded()
          .stdout()).contains("\"images\" : [ ]");
      berth.run("affected", tree.toString(), "--package", "jq@<").failedWithOneLine(
          "invalid package 'jq@<': expected NAME, NAME@VERSION or NAME@<VERSION");

      Path log = tree.resolve(".berth/journal.log");
      long before = Files.size(log);
      Process run = berth.start("build", tree.toString(), "--affected-by", "jq", "--push", "-j", "1");
      waitFor(log, before, "\"image\":\"slow\"", "\"state\":\"verifying\"");
      // 'slow' is checked while its parent is still being published: kill once the parent is published
      waitFor(log, before, "\"image\":\"holder\"", "\"state\":\"published\"");
      assertThat(run.isAlive()).as("killed while verifying 'slow'").isTrue();
      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      assertThat(tree.resolve(".berth/affected-by.json")).exists();
      List<String> killed = lines(log, before);
      assertThat(killed).anyMatch(l -> l.contains("\"image\":\"holder\"") && l.contains("\"state\":\"published\""));
      assertThat(killed).noneMatch(l -> l.contains("\"image\":\"slow\"") && l.contains("\"state\":\"published\""));

      long resumedAt = Files.size(log);
      Berth.Result resumed = berth.run("build", tree.toString(), "--affected-by", "jq", "--push", "--output", "json")
          .succeeded();
      Map<String, String> states = new TreeMap<>();
      Json.tree(resumed.stdout().getBytes(StandardCharsets.UTF_8)).path("images")
          .forEach(i -> states.put(i.path("name").asText(), i.path("state").asText()));
      assertThat(states).containsEntry("slow", "published").doesNotContainKey("other");
      assertThat(states.get("holder")).isNotEqualTo("failed");
      List<String> second = lines(log, resumedAt);
      assertThat(second).noneMatch(l -> l.contains("\"image\":\"holder\"") && l.contains("\"state\":\"building\""));
      assertThat(second).anyMatch(l -> l.contains("\"image\":\"slow\"") && l.contains("\"state\":\"building\""));
      assertThat(second).anyMatch(l -> l.contains("\"image\":\"slow\"") && l.contains("\"state\":\"published\""));
      assertThat(tree.resolve(".berth/affected-by.json")).doesNotExist();
      assertThat(SbomIT.keys(resumed)).containsEntry("slow", keys.get("slow"));
      assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
      Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false",
          "docker://" + registry.host() + "/resume/slow:" + keys.get("slow"));

      // finished: the same command starts a new run, which rebuilds the holder again
      JsonNode plan = Json.tree(berth.run("plan", tree.toString(), "--affected-by", "jq", "--output", "json").succeeded()
          .stdout().getBytes(StandardCharsets.UTF_8));
      List<String> actions = new ArrayList<>();
      plan.path("images").forEach(i -> actions.add(i.path("name").asText() + " " + i.path("action").asText()));
      assertThat(actions).containsExactly("holder build", "slow build");
    }
  }

  private static List<String> lines(Path log, long from) throws Exception {
    byte[] all = Files.readAllBytes(log);
    return new String(all, (int) from, all.length - (int) from, StandardCharsets.UTF_8).lines().toList();
  }

  private static void waitFor(Path log, long from, String image, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (lines(log, from).stream().anyMatch(l -> l.contains(image) && l.contains(state))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never saw " + image + " " + state);
  }
}
