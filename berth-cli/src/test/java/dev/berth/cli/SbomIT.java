package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.testing.JsonSchemas;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SBOM and provenance of images built on a Debian base (mmdebstrap), checked against dpkg itself,
 * the official schemas, a real docker-registry (referrers tag schema) and skopeo.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("runc")
class SbomIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path work;
  static Berth berth;
  static LocalRegistry registry;
  static Path debianTar;
  /**
   * Built once, pushed, and shared by the tests (one apt run instead of one per test): base (Debian and a
   * copied file), tools (apt jq), app (a copy on tools), web (a copy on base), other (a copy on web).
   */
  static Path five;
  static Path app;
  static Map<String, String> fiveKeys;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.startPlain();
    berth = new Berth(work.resolve("store"));
    debianTar = Path.of(Berth.tool(REPO, REPO.resolve("scripts/make-debian-base").toString()).strip());
    berth.run("import", debianTar.toString(), "--as", "test/debian:bookworm").succeeded();
    five = Files.createDirectories(work.resolve("five"));
    Files.writeString(five.resolve("berth.yaml"), "registry: " + registry.host() + "/five\n");
    Path base = image(five, "base", "base: test/debian:bookworm\ncopy:\n  - {src: motd, dest: /etc/motd}\n");
    Files.writeString(base.resolve("motd"), "hello\n");
    image(five, "tools", "base: base\napt: [jq]\n");
    app = image(five, "app", "base: tools\ncopy:\n  - {src: app.conf, dest: /etc/app.conf}\n");
    Files.writeString(app.resolve("app.conf"), "answer = 42\n");
    Path web = image(five, "web", "base: base\ncopy:\n  - {src: web.conf, dest: /etc/web.conf}\n");
    Files.writeString(web.resolve("web.conf"), "w\n");
    Path other = image(five, "other", "base: web\ncopy:\n  - {src: o.conf, dest: /etc/o.conf}\n");
    Files.writeString(other.resolve("o.conf"), "o\n");
    fiveKeys = keys(berth.run("build", five.toString(), "--push", "--output", "json").succeeded());
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  static Path image(Path tree, String name, String yaml) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("image.yaml"), yaml);
    return folder;
  }

  /** Image name → key tag, from {@code build --output json}. */
  static Map<String, String> keys(Berth.Result build) {
    Map<String, String> out = new TreeMap<>();
    for (JsonNode image : Json.tree(build.stdout().getBytes(StandardCharsets.UTF_8)).path("images")) {
      out.put(image.path("name").asText(), image.path("key").asText());
    }
    return out;
  }

  /** Package → version, as dpkg-query reads a dpkg database directory. */
  static Map<String, String> dpkgQuery(Path admindir) throws Exception {
    Map<String, String> out = new TreeMap<>();
    String listing = Berth.tool(work, "dpkg-query", "--admindir=" + admindir, "-W", "-f", "${Package} ${Version}\\n");
    listing.lines().filter(line -> !line.isBlank()).forEach(line -> out.put(line.split(" ")[0], line.split(" ")[1]));
    return out;
  }

  /** Names and versions of the packages the SPDX element {@code id} CONTAINS. */
  static Map<String, String> containedBy(JsonNode spdx, String id) {
    Map<String, JsonNode> elements = new HashMap<>();
    spdx.path("packages").forEach(p -> elements.put(p.path("SPDXID").asText(), p));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode relationship : spdx.path("relationships")) {
      JsonNode target = elements.get(relationship.path("relatedSpdxElement").asText());
      if (relationship.path("spdxElementId").asText().equals(id)
          && relationship.path("relationshipType").asText().equals("CONTAINS") && target != null) {
        out.put(target.path("name").asText(), target.path("versionInfo").asText());
      }
    }
    return out;
  }

  static Path blobPath(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  static String sha256(Path file) throws Exception {
    return Digest.sha256(Files.readAllBytes(file)).hex();
  }

  @Test
  void aptAndCopyImagesCarryTheirSbomAndProvenanceIntoTheRegistry() throws Exception {
    Map<String, String> keys = fiveKeys;
    String jqRef = registry.host() + "/five/tools:" + keys.get("tools");
    String appRef = registry.host() + "/five/app:" + keys.get("app");

    // dpkg's own view of the base and of the image, read from the image as the registry serves it
    Path baseDb = Files.createDirectories(work.resolve("base-db"));
    Berth.tool(baseDb, "tar", "-xf", debianTar.toString(), "./var/lib/dpkg/status");
    Map<String, String> basePackages = dpkgQuery(baseDb.resolve("var/lib/dpkg"));
    // the apt step's layer, the image's last, holds the whole dpkg status as apt left it
    Path layout = work.resolve("jq-oci");
    Berth.tool(work, "skopeo", "copy", "--src-tls-verify=false", "docker://" + jqRef, "oci:" + layout + ":jq");
    JsonNode ociIndex = Json.tree(Files.readAllBytes(layout.resolve("index.json")));
    JsonNode manifest = Json.tree(Files.readAllBytes(blobPath(layout, ociIndex.path("manifests").get(0).path("digest").asText())));
    JsonNode layers = manifest.path("layers");
    Path imageDb = Files.createDirectories(work.resolve("jq-db"));
    Berth.tool(imageDb, "tar", "-xf", blobPath(layout, layers.get(layers.size() - 1).path("digest").asText()).toString(),
        "--wildcards", "*var/lib/dpkg/status");
    Map<String, String> imagePackages = dpkgQuery(imageDb.resolve("var/lib/dpkg"));

    JsonNode spdx = Json.tree(berth.run("sbom", "tools:" + keys.get("tools")).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonSchemas.spdx23(spdx)).isEmpty();
    Map<String, String> added = containedBy(spdx, "SPDXRef-Image");
    assertThat(added).containsEntry("jq", imagePackages.get("jq")).containsEntry("libjq1", imagePackages.get("libjq1"));
    Map<String, String> expectedAdded = new TreeMap<>(imagePackages);
    expectedAdded.entrySet().removeIf(entry -> entry.getValue().equals(basePackages.get(entry.getKey())));
    assertThat(added).isEqualTo(expectedAdded);

    // found through the referrers tag schema, by berth and by skopeo
    Digest jqManifest = Digest.sha256(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + jqRef).strip().getBytes(StandardCharsets.UTF_8));
    JsonNode referrers = Json.tree(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/five/tools:sha256-" + jqManifest.hex()).getBytes(StandardCharsets.UTF_8));
    List<String> types = new ArrayList<>();
    referrers.path("manifests").forEach(m -> types.add(m.path("artifactType").asText()));
    assertThat(types).containsExactlyInAnyOrder("application/spdx+json", "application/vnd.in-toto+json");
    JsonNode remote = Json.tree(berth.run("sbom", jqRef).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(remote).isEqualTo(spdx);

    // the copy image: jq comes with its base, the image itself adds only the copied file
    JsonNode appSpdx = Json.tree(berth.run("sbom", appRef).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonSchemas.spdx23(appSpdx)).isEmpty();
    assertThat(containedBy(appSpdx, "SPDXRef-Image")).isEmpty();
    assertThat(containedBy(appSpdx, "SPDXRef-Base")).containsEntry("jq", imagePackages.get("jq"));
    assertThat(appSpdx.path("files").get(0).path("checksums").get(0).path("checksumValue").asText())
        .isEqualTo(sha256(app.resolve("app.conf")));

    // provenance: the key's inputs with the base manifest's digest and the input files' sha256
    JsonNode provenance = Json.tree(berth.run("provenance", appRef).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
    Map<String, String> dependencies = new TreeMap<>();
    provenance.path("predicate").path("buildDefinition").path("resolvedDependencies")
        .forEach(d -> dependencies.put(d.path("name").asText(), d.path("digest").path("sha256").asText()));
    assertThat(dependencies).containsEntry("base", jqManifest.hex())
        .containsEntry("app.conf", sha256(app.resolve("app.conf"))).containsKey("spec");
    assertThat(provenance.path("predicate").path("runDetails").path("byproducts").get(0).path("digest")
        .path("sha256").asText()).startsWith(keys.get("app"));
    assertThat(provenance.path("subject").get(0).path("digest").path("sha256").asText()).isEqualTo(
        Digest.sha256(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + appRef)
            .strip().getBytes(StandardCharsets.UTF_8)).hex());
  }

  @Test
  void cycloneDxIsValidAndOciOutputsKeepTheDocuments() throws Exception {
    Path tree = Files.createDirectories(work.resolve("cdx"));
    Path hello = image(tree, "hello", "base: scratch\ncopy:\n  - {src: hello.txt, dest: /hello.txt}\n");
    Files.writeString(hello.resolve("hello.txt"), "hello\n");
    Path layout = work.resolve("hello-oci");
    String key = keys(berth.run("build", tree.toString(), "--sbom", "cyclonedx", "--output", "oci:" + layout + ":hello",
        "--output", "json").succeeded()).get("hello");
    JsonNode bom = Json.tree(berth.run("sbom", "oci:" + layout + ":hello").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(JsonSchemas.cycloneDx15(bom)).isEmpty();
    assertThat(bom.path("components").get(0).path("hashes").get(0).path("content").asText())
        .isEqualTo(sha256(hello.resolve("hello.txt")));
    berth.run("provenance", "oci:" + layout + ":hello").succeeded();

    // berth push takes them along
    String pushed = registry.host() + "/pushed/hello:1";
    berth.run("push", "hello:" + key, pushed).succeeded();
    assertThat(Json.tree(berth.run("sbom", pushed).succeeded().stdout().getBytes(StandardCharsets.UTF_8))).isEqualTo(bom);
    berth.run("provenance", pushed).succeeded();
  }

  @Test
  void affectedListsTheHoldersOfAPackageAndAffectedByRebuildsExactlyThem() throws Exception {
    Path tree = five;
    Map<String, String> keys = fiveKeys;

    JsonNode affected = Json.tree(berth.run("affected", tree.toString(), "--package", "jq", "--output", "json")
        .succeeded().stdout().getBytes(StandardCharsets.UTF_8));
    Map<String, String> reasons = new TreeMap<>();
    affected.path("images").forEach(i -> reasons.put(i.path("name").asText(), i.path("reason").asText()));
    assertThat(reasons).containsOnlyKeys("tools", "app");
    assertThat(reasons.get("tools")).matches("jq [^ ]+ in layer 3 \\(berth apt \\[\"jq\"\\]\\)");
    assertThat(reasons.get("app")).startsWith("jq ").contains("in base tools layer 3");
    assertThat(berth.run("affected", tree.toString(), "--package", "no-such-package").succeeded().stdout()).isEmpty();

    JsonNode plan = Json.tree(berth.run("plan", tree.toString(), "--affected-by", "jq", "--output", "json")
        .succeeded().stdout().getBytes(StandardCharsets.UTF_8));
    Map<String, String> planned = new TreeMap<>();
    plan.path("images").forEach(i -> planned.put(i.path("name").asText(), i.path("action").asText() + " " + i.path("reason").asText()));
    assertThat(planned).containsOnlyKeys("base", "tools", "app");
    assertThat(planned.get("base")).startsWith("cached");
    assertThat(planned.get("tools")).isEqualTo("build " + reasons.get("tools"));

    Berth.Result rebuild = berth.run("build", tree.toString(), "--affected-by", "jq", "--push", "--output", "json").succeeded();
    Map<String, String> states = new TreeMap<>();
    Json.tree(rebuild.stdout().getBytes(StandardCharsets.UTF_8)).path("images")
        .forEach(i -> states.put(i.path("name").asText(), i.path("state").asText()));
    assertThat(states).containsEntry("tools", "published").containsEntry("app", "published")
        .doesNotContainKeys("web", "other");
    assertThat(rebuild.stderr().lines().filter(line -> line.contains("] tools: step") && line.contains("apt")))
        .isNotEmpty().noneMatch(line -> line.contains("(cached)"));
    assertThat(keys(rebuild)).containsEntry("tools", keys.get("tools")).containsEntry("app", keys.get("app"));
    Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/five/app:" + keys.get("app"));
  }

  @Test
  void explainListsTheKeyInputsAndDiffNamesTheChangedFileAndTheAddedPackage() throws Exception {
    Path tree = Files.createDirectories(work.resolve("diff"));
    String baseName = "base:" + fiveKeys.get("base");  // the five tree's base, from the store: its apt [jq] step is cached
    Path folder = image(tree, "d", "base: " + baseName + "\napt: [jq]\ncopy:\n  - {src: a.conf, dest: /etc/a.conf}\n");
    Files.writeString(folder.resolve("a.conf"), "one\n");
    String key1 = keys(berth.run("build", tree.toString(), "--output", "json").succeeded()).get("d");

    JsonNode explained = Json.tree(berth.run("explain", "d", tree.toString(), "--output", "json").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(explained.path("key").asText()).startsWith("sha256:" + key1);
    Map<String, String> inputs = new TreeMap<>();
    explained.path("inputs").forEach(i -> inputs.put(i.path("kind").asText() + " " + i.path("name").asText(),
        i.path("digest").asText()));
    String baseLine = berth.run("store", "ls").succeeded().stdout().lines()
        .filter(l -> l.startsWith(baseName + " ")).findFirst().orElseThrow();
    assertThat(inputs).containsEntry("base " + baseName, baseLine.split(" +")[1])
        .containsEntry("file a.conf", "sha256:" + sha256(folder.resolve("a.conf"))).containsKey("spec d");

    Files.writeString(folder.resolve("image.yaml"),
        "base: " + baseName + "\napt: [jq, bc]\ncopy:\n  - {src: a.conf, dest: /etc/a.conf}\n");
    Files.writeString(folder.resolve("a.conf"), "two\n");
    String key2 = keys(berth.run("build", tree.toString(), "--output", "json").succeeded()).get("d");
    assertThat(key2).isNotEqualTo(key1);

    JsonNode diff = Json.tree(berth.run("diff", "d@" + key1, "d@" + key2, "--output", "json").succeeded().stdout()
        .getBytes(StandardCharsets.UTF_8));
    List<String> files = new ArrayList<>();
    diff.path("files").forEach(f -> files.add(f.path("name").asText()));
    assertThat(files).containsExactly("a.conf");
    List<String> added = new ArrayList<>();
    diff.path("packages").forEach(p -> {
      if (p.path("before").isMissingNode()) {
        added.add(p.path("name").asText());
      }
    });
    assertThat(added).contains("bc").doesNotContain("jq");
    List<String> changedInputs = new ArrayList<>();
    diff.path("inputs").forEach(i -> changedInputs.add(i.path("name").asText()));
    assertThat(changedInputs).containsExactlyInAnyOrder("a.conf", "spec");
    assertThat(berth.run("diff", "d@" + key1, "d@" + key2).succeeded().stdout())
        .contains("+ package  bc").contains("~ file     a.conf");
    berth.run("diff", "d@" + key1, "d@000000000000000000000000").failedWithOneLine("d:000000000000000000000000: not in the store");
  }

  @Test
  void aMalformedDpkgStatusFailsTheImageWithOneLine() throws Exception {
    // a base from elsewhere (imported) whose dpkg status is malformed: busybox's rootfs plus that file
    Path extra = Files.createDirectories(work.resolve("bad-status/var/lib/dpkg"));
    Files.writeString(extra.resolve("status"), "Package: a\nStatus: install ok installed\nthis line is no field\n");
    Path badBase = work.resolve("bad-base.tar");
    Files.copy(Path.of(Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip()), badBase);
    Berth.tool(work.resolve("bad-status"), "tar", "-rf", badBase.toString(), "var/lib/dpkg/status");
    berth.run("import", badBase.toString(), "--as", "test/bad:1").succeeded();

    Path tree = Files.createDirectories(work.resolve("malformed"));
    image(tree, "child", "base: test/bad:1\nrun:\n  - touch /var/lib/dpkg/status\n");
    Path broken = image(tree, "broken", "base: test/debian:bookworm\ncopy:\n  - {src: status, dest: /var/lib/dpkg/status}\n");
    Files.copy(extra.resolve("status"), broken.resolve("status"));
    Berth.Result result = berth.run("build", tree.toString(), "--output", "json");
    assertThat(result.exitCode()).isEqualTo(1);
    Map<String, String> causes = new TreeMap<>();
    Json.tree(result.stdout().getBytes(StandardCharsets.UTF_8)).path("images")
        .forEach(i -> causes.put(i.path("name").asText(), i.path("state").asText() + ": " + i.path("cause").asText()));
    assertThat(causes).containsEntry("child", "failed: build failed: base test/bad:1 layer 1: var/lib/dpkg/status:3: "
        + "malformed dpkg status: expected 'Field: value', got 'this line is no field'");
    assertThat(causes).containsEntry("broken", "failed: build failed: broken layer 2: var/lib/dpkg/status:3: "
        + "malformed dpkg status: expected 'Field: value', got 'this line is no field'");
    assertThat(berth.run("store", "ls").succeeded().stdout()).doesNotContain("child:").doesNotContain("broken:");
  }

  @Test
  void anSbomOfTheWrongMediaTypeInTheRegistryIsRefusedWithOneLine() throws Exception {
    Path rootfs = Files.createDirectories(work.resolve("tiny-rootfs"));
    Files.writeString(rootfs.resolve("hello.txt"), "hi\n");
    Path tar = work.resolve("tiny.tar");
    Berth.tool(rootfs, "tar", "-cf", tar.toString(), "hello.txt");
    berth.run("import", tar.toString(), "--as", "tiny:1").succeeded();
    String ref = registry.host() + "/bad/tiny:1";
    berth.run("push", "tiny:1", ref).succeeded();
    berth.run("sbom", ref).failedWithOneLine(ref + ": no SBOM is attached to this image");

    Digest subject = Digest.sha256(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + ref)
        .strip().getBytes(StandardCharsets.UTF_8));
    dev.berth.store.ContentStore store = dev.berth.store.ContentStore.open(work.resolve("crafted"));
    dev.berth.oci.Descriptor text = store.writeBlob("text/plain", "not an SBOM".getBytes(StandardCharsets.UTF_8));
    store.writeBlob(dev.berth.oci.ArtifactManifest.EMPTY_MEDIA_TYPE, dev.berth.oci.ArtifactManifest.EMPTY_CONTENT);
    dev.berth.oci.Descriptor artifact = store.writeBlob(dev.berth.oci.MediaTypes.OCI_MANIFEST,
        dev.berth.oci.ArtifactManifest.of("application/spdx+json", text,
            new dev.berth.oci.Descriptor(dev.berth.oci.MediaTypes.OCI_MANIFEST, subject, 1), Map.of()).toJson());
    dev.berth.oci.ReferrersIndex index = dev.berth.oci.ReferrersIndex.empty().with(new dev.berth.oci.Referrer(
        dev.berth.oci.MediaTypes.OCI_MANIFEST, artifact.digest(), artifact.size(), "application/spdx+json", Map.of()));
    try (dev.berth.registry.RegistryClient client = dev.berth.registry.RegistryClient.builder().host(registry.host()).build()) {
      client.pushReferrers(store, dev.berth.oci.ImageReference.parse(ref), subject, index);
    }
    berth.run("sbom", ref).failedWithOneLine("holds [text/plain], not one application/spdx+json");
  }
}
