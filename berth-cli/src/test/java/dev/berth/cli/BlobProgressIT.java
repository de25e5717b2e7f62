package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live per-blob byte counts of a real push and pull ({@code --progress=json}'s BlobProgress events): for
 * each blob that moves, reports that rise from 0 to exactly the blob's size as the registry's manifest
 * (read with skopeo) gives it, with counts in between for a multi-megabyte layer.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("runc")
class BlobProgressIT {
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

  /** A tree of one image on busybox: two copied files of random bytes, 9 MB and 3 MB, one layer each. */
  private Path tree(Berth berth, String rootfs) throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/blobs\n");
    Path folder = Files.createDirectories(tree.resolve("data"));
    Random random = new Random(1919);
    for (var file : Map.of("nine.bin", 9_000_000, "three.bin", 3_000_000).entrySet()) {
      byte[] bytes = new byte[file.getValue()];
      random.nextBytes(bytes);
      Files.write(folder.resolve(file.getKey()), bytes);
    }
    berth.run("import", rootfs, "--as", "test/busybox:1").succeeded();
    Files.writeString(folder.resolve("image.yaml"), "base: test/busybox:1\ncopy:\n"
        + "  - {src: nine.bin, dest: /nine.bin}\n  - {src: three.bin, dest: /three.bin}\n");
    return tree;
  }

  @Test
  void eachBlobOfAPushAndAPullRisesFromZeroToItsSize() throws Exception {
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    Berth builder = new Berth(work.resolve("store"));
    Path tree = tree(builder, rootfs);
    List<JsonNode> pushed = events(builder.run("build", tree.toString(), "--push", "--progress=json").succeeded().stderr());
    String reference = pushed.stream().filter(event -> event.get("type").asText().equals("TransferStarted"))
        .findFirst().orElseThrow().get("reference").asText();
    JsonNode manifest = Json.tree(Berth.tool(work, "skopeo", "inspect", "--tls-verify=false", "--raw",
        "docker://" + reference).getBytes(StandardCharsets.UTF_8));
    Map<String, Long> sizes = new LinkedHashMap<>();
    sizes.put(manifest.get("config").get("digest").asText(), manifest.get("config").get("size").asLong());
    manifest.get("layers").forEach(layer -> sizes.put(layer.get("digest").asText(), layer.get("size").asLong()));

    Map<String, List<Long>> pushReports = reports(pushed, "PUSH", reference);
    assertThat(sizes.keySet()).as("every blob of the image was uploaded to the empty registry")
        .containsAll(pushReports.keySet()).hasSameSizeAs(pushReports.keySet());
    assertRiseToSize(pushReports, sizes);

    Berth fetcher = new Berth(work.resolve("other-store"));
    fetcher.run("import", rootfs, "--as", "test/busybox:1").succeeded();
    // --push: the tree publishes, so the image found in the registry under its key is fetched, not built
    List<JsonNode> pulled = events(fetcher.run("build", tree.toString(), "--push", "--progress=json").succeeded().stderr());
    assertThat(pulled).anySatisfy(event -> assertThat(event.get("type").asText()).isEqualTo("Fetching"));
    Map<String, List<Long>> pullReports = reports(pulled, "PULL", reference.substring(0, reference.lastIndexOf(':')));
    assertThat(pullReports.keySet()).as("the two copied layers (busybox's is in the store already)").hasSize(2);
    assertThat(sizes.keySet()).containsAll(pullReports.keySet());
    assertRiseToSize(pullReports, sizes);
  }

  private static void assertRiseToSize(Map<String, List<Long>> reports, Map<String, Long> sizes) {
    reports.forEach((blob, bytes) -> {
      assertThat(bytes).as("reports of %s", blob).first().isEqualTo(0L);
      assertThat(bytes).as("reports of %s", blob).last().isEqualTo(sizes.get(blob));
      for (int i = 1; i < bytes.size(); i++) {
        assertThat(bytes.get(i)).as("reports of %s rise: %s", blob, bytes).isGreaterThan(bytes.get(i - 1));
      }
    });
    String biggest = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(sizes.get(biggest)).isGreaterThan(8_000_000);
    assertThat(reports.get(biggest)).as("the 9 MB layer is reported while it moves, not only at its ends")
        .hasSizeGreaterThan(3).hasSizeLessThanOrEqualTo(2 + 20 + 1);
  }

  /** The BlobProgress reports of the image's blobs in {@code direction}, in order, by blob digest. */
  private static Map<String, List<Long>> reports(List<JsonNode> events, String direction, String referencePrefix) {
    Map<String, List<Long>> reports = new LinkedHashMap<>();
    for (JsonNode event : events) {
      if (event.get("type").asText().equals("BlobProgress")) {
        assertThat(event.get("image").asText()).isEqualTo("data");
        assertThat(event.get("direction").asText()).isEqualTo(direction);
        assertThat(event.get("reference").asText()).startsWith(referencePrefix);
        reports.computeIfAbsent(event.get("blob").asText(), blob -> new ArrayList<>()).add(event.get("bytes").asLong());
      }
    }
    return reports;
  }

  private static List<JsonNode> events(String stderr) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : stderr.strip().split("\n")) {
      events.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }
}
