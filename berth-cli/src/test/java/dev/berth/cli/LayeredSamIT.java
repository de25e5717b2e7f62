package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * SAM parity of {@code berth layered}: {@code --load} into dockerd, older images of the same runtime
 * and architecture removed from the store and the engine on a new build (SAM's _remove_rapid_images),
 * and SAM's {@code --skip-pull-image} and {@code --force-image-build}.
 */
@Tag("integration")
@Tag("skopeo")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class LayeredSamIT {
  static final String DOCKER = "/usr/bin/docker";
  @TempDir Path work;

  private static boolean engineHas(String image) throws Exception {
    Process process = new ProcessBuilder(DOCKER, "image", "inspect", image).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    return process.exitValue() == 0;
  }

  private static void removeFromEngine(String image) throws Exception {
    new ProcessBuilder(DOCKER, "rmi", "-f", image).redirectErrorStream(true).start().waitFor(1, TimeUnit.MINUTES);
  }

  private static List<String> storeNames(Berth berth) throws Exception {
    return berth.run("store", "ls").succeeded().stdout().lines().map(line -> line.split("\\s+")[0]).toList();
  }

  @Test
  void aNewBuildReplacesTheOlderImageOfItsRuntimeInStoreAndEngineAndLoadPutsItThere() throws Exception {
    Berth berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "lambda.example/runtimes/python:3.12-x86_64").succeeded();
    berth.run("import", rootfs, "--as", "berth-lambda/python:3.11-x86_64-000000000000000000000000").succeeded();
    berth.run("import", rootfs, "--as", "berth-lambda/python:3.12-arm64-000000000000000000000000").succeeded();
    Path layer = Files.createDirectories(work.resolve("layer/python"));
    Files.writeString(layer.resolve("app.py"), "V = 1\n");
    String[] command = {"layered", "--runtime", "python3.12", "--arch", "x86_64", "--registry-prefix",
        "lambda.example/runtimes", "--layer", work.resolve("layer").toString(), "--load"};
    String first = null;
    String second = null;
    try {
      Berth.Result one = berth.run(command).succeeded();
      first = one.stdout().strip();
      assertThat(one.stderr()).contains("loaded " + first + " into the engine");
      assertThat(engineHas(first)).isTrue();
      String id = Berth.tool(work, DOCKER, "image", "inspect", "--format", "{{.Id}}", first).strip();
      String manifest = Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + work.resolve("store") + ":" + first);
      assertThat(id).as("the engine's image is the store's")
          .isEqualTo(dev.berth.oci.Json.tree(manifest.getBytes(StandardCharsets.UTF_8)).get("config").get("digest").asText());

      Files.writeString(layer.resolve("app.py"), "V = 2\n");
      Berth.Result two = berth.run(command).succeeded();
      second = two.stdout().strip();
      assertThat(second).isNotEqualTo(first);
      assertThat(two.stderr()).contains("removed older " + first + " from the store",
          "removed older " + first + " from the engine", "loaded " + second + " into the engine");
      assertThat(engineHas(first)).isFalse();
      assertThat(engineHas(second)).isTrue();
      assertThat(storeNames(berth)).contains(second, "berth-lambda/python:3.11-x86_64-000000000000000000000000",
          "berth-lambda/python:3.12-arm64-000000000000000000000000").doesNotContain(first);

      Berth.Result unchanged = berth.run(command).succeeded();
      assertThat(unchanged.stderr().lines()).contains("unchanged");
      Berth.Result forced = berth.run(concat(command, "--force-image-build", "--skip-pull-image")).succeeded();
      assertThat(forced.stderr().lines()).anyMatch(line -> line.startsWith("built "));
      assertThat(forced.stdout().strip()).isEqualTo(second);
      assertThat(berth.run(concat(command, "--skip-pull-image", "--pull=always")).exitCode()).isEqualTo(2);
    } finally {
      for (String image : new String[] {first, second}) {
        if (image != null) {
          removeFromEngine(image);
        }
      }
    }
  }

  private static String[] concat(String[] command, String... more) {
    String[] out = java.util.Arrays.copyOf(command, command.length + more.length);
    System.arraycopy(more, 0, out, command.length, more.length);
    return out;
  }
}
