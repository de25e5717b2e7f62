package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --metadata-file} and {@code --iidfile} as buildx writes them, checked against skopeo's view of the pushed images. */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("runc")
class MetadataFileIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path work;
  Berth berth;
  Path tree;

  @BeforeEach
  void tree() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "examples/busybox:1").succeeded();
    tree = work.resolve("tree");
    Files.createDirectories(tree.resolve("app"));
    Files.writeString(tree.resolve("app/file"), "app\n");
    Files.writeString(tree.resolve("app/image.yaml"), "base: examples/busybox:1\ncopy: [{src: file, dest: /file}]\n"
        + "tags: [\"{key}\", \"1.0\"]\n");
    Files.createDirectories(tree.resolve("tool"));
    Files.writeString(tree.resolve("tool/image.yaml"), "base: app\nenv: {TOOL: \"yes\"}\n");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] skopeo(Path work, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("skopeo", "inspect", "--tls-verify=false"));
    command.addAll(List.of(args));
    return Berth.tool(work, command.toArray(String[]::new)).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theDigestsOfEveryPushedImageAreThoseSkopeoSees() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      Path metadata = work.resolve("metadata.json");
      berth.run("build", tree.toString(), "--push", "--registry", registry.host() + "/meta",
          "--metadata-file", metadata.toString()).succeeded();
      JsonNode document = Json.tree(Files.readAllBytes(metadata));
      assertThat(document.fieldNames()).toIterable().containsExactly("app", "tool");
      for (String image : List.of("app", "tool")) {
        JsonNode entry = document.get(image);
        List<String> names = List.of(entry.get("image.name").asText().split(","));
        assertThat(names).isNotEmpty().allMatch(name -> name.startsWith(registry.host() + "/meta/" + image + ":"));
        assertThat(names).contains(registry.host() + "/meta/" + image + ":" + entry.get("berth.key").asText());
        assertThat(entry.get("berth.pushed").asBoolean()).isTrue();
        List<String> references = new java.util.ArrayList<>();
        entry.get("berth.references").forEach(reference -> references.add(reference.asText()));
        assertThat(references).as("the pushed references, by digest")
            .containsExactlyElementsOf(names.stream().map(name -> name + "@" + entry.get("containerimage.digest").asText()).toList());
        for (String reference : names) {
          byte[] manifest = skopeo(work, "--raw", "docker://" + reference);
          assertThat(entry.get("containerimage.digest").asText()).as(reference).isEqualTo(sha256(manifest));
          byte[] config = skopeo(work, "--config", "--raw", "docker://" + reference);
          assertThat(entry.get("containerimage.config.digest").asText()).isEqualTo(sha256(config));
          assertThat(entry.get("containerimage.descriptor").get("size").asLong()).isEqualTo(manifest.length);
        }
        JsonNode platform = entry.get("containerimage.descriptor").get("platform");
        assertThat(platform.get("os").asText()).isEqualTo("linux");
        assertThat(platform.get("architecture").asText()).isEqualTo("amd64");
      }
      assertThat(document.get("app").get("image.name").asText().split(",")).hasSize(2);
    }
  }

  @Test
  void oneSelectedImageIsWrittenAsBuildxBuildWritesItWithItsImageId() throws Exception {
    Path metadata = work.resolve("one.json");
    Path iid = work.resolve("iid");
    berth.run("build", tree.toString(), "--select", "tool", "--metadata-file", metadata.toString(),
        "--iidfile", iid.toString()).succeeded();
    JsonNode entry = Json.tree(Files.readAllBytes(metadata));
    assertThat(entry.get("berth.name").asText()).isEqualTo("tool");
    assertThat(entry.get("berth.pushed").asBoolean()).isFalse();
    assertThat(entry.get("image.name").asText()).startsWith("tool:" + entry.get("berth.key").asText());
    assertThat(Files.readString(iid)).isEqualTo(entry.get("containerimage.config.digest").asText()).startsWith("sha256:");
    Path layout = work.resolve("layout");
    berth.run("build", tree.toString(), "--select", "tool", "--output", "oci:" + layout + ":tool").succeeded();
    assertThat(sha256(skopeo(work, "--config", "--raw", "oci:" + layout + ":tool"))).isEqualTo(Files.readString(iid));
    assertThat(sha256(skopeo(work, "--raw", "oci:" + layout + ":tool")))
        .isEqualTo(entry.get("containerimage.digest").asText());
  }

  @Test
  void aMetadataFileInAMissingDirectoryIsOneLineAndNothingIsBuilt() throws Exception {
    List<String> before = Berth.snapshot(work.resolve("store"));
    berth.run("build", tree.toString(), "--metadata-file", work.resolve("no/such/dir/metadata.json").toString())
        .failedWithOneLine("no/such/dir/metadata.json: the directory for the metadata file does not exist");
    berth.run("build", tree.toString(), "--iidfile", work.resolve("iid").toString())
        .failedWithOneLine("--iidfile writes one image's ID");
    assertThat(Berth.snapshot(work.resolve("store"))).isEqualTo(before);
    assertThat(tree.resolve(".berth")).doesNotExist();
  }
}
