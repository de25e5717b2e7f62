package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code berth docker-pkg} on the generated 6-image docker-pkg tree (busybox, USER {{ "nobody" | uid }},
 * a test.sh each, run against dockerd): update means a rebuild with fresh run steps, one refused
 * Dockerfile fails alone, and publishing never moves a version tag.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerPkgFlowIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path work;
  Berth berth;

  @BeforeEach
  void base() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "bench/busybox:1").succeeded();
  }

  private Path tree(int images) throws Exception {
    Path tree = work.resolve("tree");
    Berth.tool(REPO, "python3", REPO.resolve("bench/scripts/make-dockerpkg-tree.py").toString(), tree.toString(),
        String.valueOf(images), "bench/busybox:1");
    return tree;
  }

  private Berth.Result dockerPkg(Path tree, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("docker-pkg", "-c", tree.resolve("config.yaml").toString(),
        "--info"));
    command.addAll(List.of(args));
    command.add(tree.toString());
    return berth.run(command.toArray(String[]::new));
  }

  private static List<String> built(Berth.Result result) {
    return result.stdout().lines().filter(line -> line.startsWith("* Built image ")).map(line -> line.substring(14))
        .sorted().toList();
  }

  private static String stamp(String image, String name) throws Exception {
    return Berth.tool(REPO, "/usr/bin/docker", "run", "--rm", image, "cat", "/srv/" + name + "/stamp");
  }

  @Test
  void thePeerTreePassesAndUpdateRebuildsTheImageAndItsDependentsWithFreshRunSteps() throws Exception {
    Path tree = tree(6);
    assertThat(built(dockerPkg(tree, "build").succeeded())).hasSize(6);
    String before = stamp("img01:1.0.0", "img01");
    assertThat(built(dockerPkg(tree, "build").succeeded())).isEmpty();

    Berth.Result update = dockerPkg(tree, "update", "img01").succeeded();
    assertThat(update.stdout()).contains("* img01\n", "* img03\n", "* img04\n").doesNotContain("img00", "img02");
    assertThat(Files.readString(tree.resolve("img03/changelog"))).startsWith(
        "img03 (1.0.0-s1) wikimedia; urgency=high\n\n   Refresh for update in parent image img01:\n   Security update\n");

    assertThat(built(dockerPkg(tree, "build", "--select", "*img0[3]:*").succeeded()))
        .containsExactly("img01:1.0.0-s1", "img03:1.0.0-s1");
    assertThat(built(dockerPkg(tree, "build").succeeded())).containsExactly("img04:1.0.0-s1");
    assertThat(stamp("img01:1.0.0-s1", "img01")).as("the run step ran again").isNotEqualTo(before);

    String unforced = stamp("img00:1.0.0", "img00");
    berth.run("build", tree.toString(), "--select", "img00", "--force", "--load").succeeded();
    assertThat(stamp("img00:1.0.0", "img00")).as("--force takes nothing from the step cache").isNotEqualTo(unforced);
  }

  /** docker-pkg gives its verify command only the proxy variables and PATH; berth adds the engine it loaded into. */
  @Test
  void testScriptsGetDockerPkgsEnvironmentAndNothingElseOfTheCallers() throws Exception {
    Path tree = tree(1);
    Files.writeString(tree.resolve("config.yaml"), "http_proxy: http://proxy.invalid:3128\n",
        java.nio.file.StandardOpenOption.APPEND);
    Files.writeString(tree.resolve("img00/test.sh"), "#!/bin/sh\nenv > \"$(dirname \"$0\")/env.txt\"\n");
    berth = new Berth(work.resolve("store"), java.util.Map.of("BERTH_NOT_FOR_TESTS", "leak", "HOME", "/root"));
    dockerPkg(tree, "build").succeeded();
    java.util.Map<String, String> seen = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(tree.resolve("img00/env.txt"), StandardCharsets.UTF_8)) {
      seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    // what the shells running test.sh set themselves
    List.of("PWD", "OLDPWD", "SHLVL", "_").forEach(seen::remove);
    assertThat(seen.keySet()).containsExactlyInAnyOrder("PATH", "DOCKER_HOST", "http_proxy", "https_proxy",
        "HTTP_PROXY", "HTTPS_PROXY");
    assertThat(seen).containsEntry("HTTPS_PROXY", "http://proxy.invalid:3128")
        .containsEntry("DOCKER_HOST", "unix:///var/run/docker.sock").containsEntry("PATH", System.getenv("PATH"));
  }

  @Test
  void aRefusedDockerfileFailsAloneWithItsLineAndBlocksItsDependents() throws Exception {
    Path tree = tree(6);
    Path template = tree.resolve("img01/Dockerfile.template");
    Files.writeString(template, "ADD data.txt /\n" + Files.readString(template));
    Berth.Result run = dockerPkg(tree, "build");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(built(run)).containsExactly("img00:1.0.0", "img02:1.0.0", "img05:1.0.0");
    assertThat(run.stdout()).contains(" ERROR: image img01 failed to build: failed: " + template + ":1: ")
        .contains(" ERROR: image img03 failed to build: blocked")
        .contains(" ERROR: image img04 failed to build: blocked");
  }

  /** Children are built while their parent's test.sh runs; when it fails they are blocked all the same. */
  @Test
  void aFailingTestShFailsTheBuildAndBlocksTheDependentsBuiltMeanwhile() throws Exception {
    Path tree = tree(6);
    Path script = tree.resolve("img01/test.sh");
    String good = Files.readString(script);
    Files.writeString(script, "#!/bin/sh\nsleep 2\ndocker run --rm \"$1\" test -f /srv/img01/missing\n");
    Berth.Result run = dockerPkg(tree, "build");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(built(run)).containsExactly("img00:1.0.0", "img02:1.0.0", "img05:1.0.0");
    assertThat(run.stderr()).as("built during img01's test.sh").contains("img03: built sha256:");
    assertThat(run.stdout()).contains(" ERROR: image img01 failed to build: failed: verify failed: test.sh exited 1")
        .contains(" ERROR: image img03 failed to build: blocked")
        .contains(" ERROR: image img04 failed to build: blocked");

    Files.writeString(script, good);  // the next run checks them (in the store already) and they count
    assertThat(dockerPkg(tree, "build").succeeded().stdout()).doesNotContain("ERROR");
    assertThat(Berth.tool(REPO, "/usr/bin/docker", "run", "--rm", "img03:1.0.0", "cat", "/srv/img03/img03.txt"))
        .isEqualTo("img03 data\n");
  }

  @Test
  void publishesVersionKeyAndLatestAndNeverOverwritesAPublishedVersion() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      Path tree = tree(1);
      Files.writeString(tree.resolve("config.yaml"), "registry: " + registry.host() + "\nnamespace: team\n"
          + "username: ci\npassword: secret\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
      Berth.Result first = dockerPkg(tree, "build").succeeded();
      String label = registry.host() + "/team/img00:1.0.0";
      assertThat(first.stdout()).contains("Successfully published image " + label);
      String published = digest(registry.host() + "/team/img00:1.0.0");
      assertThat(digest(registry.host() + "/team/img00:latest")).isEqualTo(published);

      Files.writeString(tree.resolve("img00/data.txt"), "img00 data\n\n");  // new content, same version
      Berth.Result second = dockerPkg(tree, "build").succeeded();
      assertThat(second.stdout()).contains(label + " already published as " + published);
      assertThat(digest(registry.host() + "/team/img00:1.0.0")).isEqualTo(published);
      assertThat(digest(registry.host() + "/team/img00:latest")).isEqualTo(published);
    }
  }

  private static String digest(String reference) throws Exception {
    return Berth.tool(REPO, "skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + reference)
        .strip();
  }
}
