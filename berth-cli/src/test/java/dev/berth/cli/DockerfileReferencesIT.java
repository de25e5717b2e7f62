package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image references in Dockerfiles as docker resolves them: the store first, then mirrors, then Docker Hub. */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
@Tag("runc")
class DockerfileReferencesIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  @TempDir static Path work;
  static Path rootfs;
  static Berth berth;

  @BeforeAll
  static void base() throws Exception {
    berth = new Berth(work.resolve("store"));
    rootfs = Path.of(Berth.tool(work, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip());
    berth.run("import", rootfs.toString(), "--as", "busybox:latest").succeeded();
  }

  private static Path dockerfile(Path tree, String image, String text) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(image));
    Files.writeString(folder.resolve("Dockerfile"), text);
    return folder;
  }

  private static JsonNode manifest(Path layout, String tag) throws Exception {
    return Json.tree(Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + layout + ":" + tag)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theThreeWaysToNameBusyboxUseTheStoresBusyboxLatest() throws Exception {
    Path tree = work.resolve("forms");
    dockerfile(tree, "bare", "FROM busybox\nRUN echo bare > /which\n");
    dockerfile(tree, "tagged", "FROM busybox:latest\nRUN echo tagged > /which\n");
    dockerfile(tree, "full", "FROM docker.io/library/busybox\nRUN echo full > /which\n");
    String built = berth.run("build", tree.toString(), "--pull=never").succeeded().stdout();
    String imported = manifest(exported("busybox:latest"), "busybox").get("layers").get(0).get("digest").asText();
    for (String image : new String[] {"bare", "tagged", "full"}) {
      var key = java.util.regex.Pattern.compile("verified +(" + image + ":[0-9a-f]+)").matcher(built);
      assertThat(key.find()).as(built).isTrue();
      JsonNode manifest = manifest(exported(key.group(1)), "busybox");
      assertThat(manifest.get("layers")).hasSize(2);
      assertThat(manifest.get("layers").get(0).get("digest").asText()).as(image).isEqualTo(imported);
    }
  }

  /** The store's image {@code name} written to a fresh OCI layout under the tag {@code busybox}. */
  private static Path exported(String name) throws Exception {
    Path layout = Files.createTempDirectory(work, "export");
    berth.run("copy", name, "oci:" + layout + ":busybox").succeeded();
    return layout;
  }

  @Test
  void aTreeImageOfTheSameNameWinsAndThePlanSaysSo() throws Exception {
    Path tree = work.resolve("shadow");
    dockerfile(tree, "busybox", "FROM busybox:latest\nRUN echo tree > /origin\n");
    dockerfile(tree, "app", "FROM busybox\nRUN cat /origin\n");
    Berth.Result plan = berth.run("plan", tree.toString()).succeeded();
    assertThat(plan.stdout()).containsPattern("app .*base 'busybox' is the tree's image, not "
        + "docker\\.io/library/busybox:latest of the store");
    berth.run("build", tree.toString(), "--pull=never").succeeded();
  }

  @Test
  void aMissingBaseIsPulledFromAMirrorOfDockerHub() throws Exception {
    Berth fresh = new Berth(work.resolve("mirror-store"));
    try (LocalRegistry mirror = LocalRegistry.startPlain()) {
      berth.run("copy", "busybox:latest", "docker://" + mirror.host() + "/library/alpine:latest").succeeded();
      Path tree = work.resolve("mirrored");
      Files.createDirectories(tree);
      Files.writeString(tree.resolve("berth.yaml"), "registryMirrors: [\"http://" + mirror.host() + "\"]\n");
      dockerfile(tree, "app", "FROM alpine\nRUN test -x /bin/busybox\n");
      Berth.Result never = fresh.run("build", tree.toString(), "--pull=never");
      assertThat(never.exitCode()).isNotZero();
      assertThat(never.stdout() + never.stderr()).contains("docker.io/library/alpine:latest");
      fresh.run("build", tree.toString(), "--pull=missing").succeeded();
      assertThat(fresh.run("inspect", "alpine:latest").succeeded().stdout()).contains("amd64");
    }
    // The mirror is gone: the stored copy is used as docker uses its local images.
    fresh.run("build", work.resolve("mirrored").toString(), "--pull=missing", "--force").succeeded();
  }

  @Test
  void theMirrorCanComeFromTheCommandLine() throws Exception {
    Berth fresh = new Berth(work.resolve("flag-store"));
    try (LocalRegistry mirror = LocalRegistry.startPlain()) {
      berth.run("copy", "busybox:latest", "docker://" + mirror.host() + "/library/alpine:3").succeeded();
      Path tree = work.resolve("flag");
      dockerfile(tree, "app", "FROM alpine:3 AS base\nFROM base\nRUN true\n");
      fresh.run("build", tree.toString(), "--registry-mirror", "http://" + mirror.host()).succeeded();
    }
  }

  @Test
  void copyFromAnImageOutsideTheTreeUsesTheStore() throws Exception {
    Path tree = work.resolve("copy-from");
    dockerfile(tree, "app", """
        FROM scratch
        COPY --from=busybox /bin/busybox /bare
        COPY --from=docker.io/library/busybox:latest /etc/passwd /full-passwd
        """);
    Path layout = work.resolve("copy-from-out");
    berth.run("build", tree.toString(), "--pull=never", "--output", "oci:" + layout + ":app").succeeded();
    Path bundle = work.resolve("copy-from-bundle");
    Berth.tool(work, "umoci", "unpack", "--image", layout + ":app", bundle.toString());
    assertThat(bundle.resolve("rootfs/bare")).hasSameBinaryContentAs(Path.of("/bin/busybox"));
    assertThat(bundle.resolve("rootfs/full-passwd")).exists();
    berth.run("plan", work.resolve("copy-from").toString(), "--pull=never").succeeded();
    dockerfile(work.resolve("copy-from-bad"), "bad", "FROM scratch\nCOPY --from=Bad/Name /x /x\n");
    berth.run("plan", work.resolve("copy-from-bad").toString())
        .failedWithOneLine("Dockerfile:2: COPY --from=Bad/Name names no stage, and invalid image reference");
  }
}
