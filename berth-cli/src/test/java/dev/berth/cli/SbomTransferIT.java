package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image's SBOM and provenance travel with it, as {@code cosign copy} and {@code oras cp -r} move
 * them: {@code berth copy} between two real docker-registries, {@code pull} into a fresh store and
 * {@code push} from it, {@code copy} into an OCI layout, and a base pulled for a build, whose packages
 * the child's SBOM then lists. Read back with skopeo and plain HTTP, not with berth alone. A busybox
 * base whose layer writes a dpkg status keeps it fast: no package manager has to run.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
class SbomTransferIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String STATUS = """
      Package: jq
      Status: install ok installed
      Architecture: amd64
      Source: jq
      Version: 1.6-2.1
      Description: lightweight and flexible command-line JSON processor

      """;

  @TempDir Path work;

  @Test
  void copyPullPushAndAPulledBaseCarryTheSbomAndProvenance() throws Exception {
    try (LocalRegistry first = LocalRegistry.startPlain(); LocalRegistry second = LocalRegistry.startPlain()) {
      Berth berth = new Berth(work.resolve("store"));
      String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
      berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
      Path tree = Files.createDirectories(work.resolve("tree"));
      Files.writeString(tree.resolve("berth.yaml"), "registry: " + first.host() + "/team\n");
      Path tools = SbomIT.image(tree, "tools", "base: test/busybox:1\ncopy:\n  - {src: status, dest: /var/lib/dpkg/status}\n");
      Files.writeString(tools.resolve("status"), STATUS);
      String key = SbomIT.keys(berth.run("build", tree.toString(), "--push", "--output", "json").succeeded()).get("tools");
      String source = first.host() + "/team/tools:" + key;
      Digest subject = manifestDigest(source);
      JsonNode spdx = Json.tree(berth.run("sbom", source).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
      assertThat(SbomIT.containedBy(spdx, "SPDXRef-Image")).containsEntry("jq", "1.6-2.1");

      // registry to registry: the tag schema's index and the documents themselves, read without berth
      String copied = second.host() + "/copied/tools:1";
      berth.run("copy", source, copied).succeeded();
      assertThat(manifestDigest(copied)).isEqualTo(subject);
      JsonNode index = skopeoRaw(second.host() + "/copied/tools:sha256-" + subject.hex());
      assertThat(artifactTypes(index)).containsExactlyInAnyOrder("application/spdx+json", "application/vnd.in-toto+json");
      for (JsonNode entry : index.path("manifests")) {
        JsonNode artifact = skopeoRaw(second.host() + "/copied/tools@" + entry.path("digest").asText());
        assertThat(artifact.path("subject").path("digest").asText()).isEqualTo(subject.toString());
        byte[] document = blob(second.host(), "copied/tools", artifact.path("layers").get(0).path("digest").asText());
        if (entry.path("artifactType").asText().equals("application/spdx+json")) {
          assertThat(Json.tree(document)).isEqualTo(spdx);
        } else {
          assertThat(Json.tree(document).path("subject").get(0).path("digest").path("sha256").asText())
              .isEqualTo(subject.hex());
        }
      }

      // pulled into an empty store, then pushed from it to another repository
      Berth fresh = new Berth(work.resolve("fresh"));
      fresh.run("pull", copied).succeeded();
      String again = first.host() + "/again/tools:1";
      fresh.run("push", copied, again).succeeded();
      assertThat(artifactTypes(skopeoRaw(first.host() + "/again/tools:sha256-" + subject.hex())))
          .containsExactlyInAnyOrder("application/spdx+json", "application/vnd.in-toto+json");

      // into an OCI layout (the tag schema's name there too)
      Path layout = work.resolve("layout");
      fresh.run("copy", source, "oci:" + layout + ":tools").succeeded();
      assertThat(Json.tree(fresh.run("sbom", "oci:" + layout + ":tools").succeeded().stdout()
          .getBytes(StandardCharsets.UTF_8))).isEqualTo(spdx);
      assertThat(Files.readString(layout.resolve("index.json"))).contains("sha256-" + subject.hex());

      // a base pulled from a registry for a build brings its SBOM: the child lists the base's packages
      Berth builder = new Berth(work.resolve("builder"));
      Path childTree = Files.createDirectories(work.resolve("child-tree"));
      Path child = SbomIT.image(childTree, "child", "base: " + copied + "\ncopy:\n  - {src: hello, dest: /hello}\n");
      Files.writeString(child.resolve("hello"), "hello\n");
      String childKey = SbomIT.keys(builder.run("build", childTree.toString(), "--output", "json").succeeded()).get("child");
      JsonNode childSpdx = Json.tree(builder.run("sbom", "child:" + childKey).succeeded().stdout()
          .getBytes(StandardCharsets.UTF_8));
      assertThat(SbomIT.containedBy(childSpdx, "SPDXRef-Base")).containsEntry("jq", "1.6-2.1");
      assertThat(SbomIT.containedBy(childSpdx, "SPDXRef-Image")).isEmpty();
    }
  }

  private Digest manifestDigest(String reference) throws Exception {
    return Digest.sha256(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference)
        .strip().getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode skopeoRaw(String reference) throws Exception {
    return Json.tree(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + reference)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> artifactTypes(JsonNode index) {
    List<String> types = new ArrayList<>();
    index.path("manifests").forEach(m -> types.add(m.path("artifactType").asText()));
    return types;
  }

  /** A blob as the registry serves it over plain HTTP, checked against its digest. */
  private static byte[] blob(String host, String repository, String digest) throws Exception {
    HttpResponse<byte[]> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
        HttpRequest.newBuilder(URI.create("http://" + host + "/v2/" + repository + "/blobs/" + digest)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Digest.sha256(response.body()).toString()).isEqualTo(digest);
    return response.body();
  }
}
