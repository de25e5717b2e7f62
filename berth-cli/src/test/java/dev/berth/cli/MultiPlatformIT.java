package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images for linux/amd64 and linux/arm64 from one tree: one key per platform, an OCI index per image,
 * pushed children first and read back by skopeo, unpacked by umoci. File steps only (no RUN for arm64:
 * that needs emulation), on busybox bases made from Debian's busybox-static and busybox-static:arm64.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
class MultiPlatformIT {
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

  private Berth storeWithBusyboxIndex(Path store) throws Exception {
    return PlatformFixtures.storeWithBusyboxIndex(work, store);
  }

  private static void image(Path tree, String name, String base, String extra) throws Exception {
    PlatformFixtures.image(tree, name, base, extra);
  }

  private static JsonNode json(Berth.Result result) {
    return Json.tree(result.stdout().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.path(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no " + field + "=" + value + " in " + array);
  }

  private static int elfMachine(Path file) throws Exception {
    return PlatformFixtures.elfMachine(file);
  }

  @Test
  void aTwoImageTreeForTwoPlatformsIsTwoChildrenAndAnIndexPerImagePushedAndReadBack() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/multi\n"
        + "platforms: [linux/amd64, linux/arm64]\n");
    image(tree, "base", "test/busybox:1", "");
    image(tree, "app", "base", "labels: {org.example.role: app}\ntags: [\"{key}\", \"1.0\"]\n");
    Berth berth = storeWithBusyboxIndex(work.resolve("store"));

    JsonNode built = json(berth.run("build", tree.toString(), "--push", "--output", "json").succeeded());
    JsonNode amd64 = find(built.get("platforms"), "platform", "linux/amd64").get("images");
    JsonNode arm64 = find(built.get("platforms"), "platform", "linux/arm64").get("images");
    for (String name : List.of("base", "app")) {
      assertThat(find(amd64, "name", name).get("key").asText()).as("keys differ per platform")
          .isNotEqualTo(find(arm64, "name", name).get("key").asText());
      assertThat(find(arm64, "name", name).get("state").asText()).isEqualTo("published");
    }
    JsonNode appIndex = find(built.get("indexes"), "name", "app");
    assertThat(appIndex.get("state").asText()).isEqualTo("published");
    String indexDigest = appIndex.get("digest").asText();

    String reference = "docker://" + registry.host() + "/multi/app:1.0";
    byte[] raw = Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false", reference)
        .getBytes(StandardCharsets.UTF_8);
    assertThat(Digest.sha256(raw).toString()).as("the registry serves the index berth wrote").isEqualTo(indexDigest);
    ImageIndex index = ImageIndex.parse(raw);
    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).hasSize(2);
    assertThat(index.manifests()).extracting(child -> child.platform().toString())
        .containsExactly("linux/amd64", "linux/arm64");
    assertThat(index.manifests().get(1).annotations().get(Descriptor.REF_NAME))
        .isEqualTo(find(arm64, "name", "app").get("key").asText());

    int[] machines = {62, 183};
    for (int i = 0; i < 2; i++) {
      Descriptor child = index.manifests().get(i);
      Path layout = work.resolve("layout-" + i);
      Berth.tool(work, "skopeo", "copy", "--src-tls-verify=false",
          "docker://" + registry.host() + "/multi/app@" + child.digest(), "oci:" + layout + ":child");
      Path bundle = work.resolve("bundle-" + i);
      Berth.tool(work, "umoci", "unpack", "--image", layout + ":child", bundle.toString());
      assertThat(bundle.resolve("rootfs/app.txt")).hasContent("app");
      assertThat(bundle.resolve("rootfs/base.txt")).hasContent("base");
      assertThat(elfMachine(bundle.resolve("rootfs/bin/busybox"))).as("busybox of child %s", i).isEqualTo(machines[i]);
      String config = Files.readString(bundle.resolve("config.json"));
      assertThat(config).contains("IMAGE=app");
    }

    JsonNode again = json(berth.run("build", tree.toString(), "--output", "json").succeeded());
    for (JsonNode part : again.get("platforms")) {
      for (JsonNode image : part.get("images")) {
        assertThat(image.get("state").asText()).as("%s on %s", image.get("name"), part.get("platform"))
            .isIn("cached", "verified");
      }
    }
    assertThat(find(again.get("indexes"), "name", "app").get("digest").asText()).isEqualTo(indexDigest);
    JsonNode verified = json(berth.run("verify", tree.toString(), "--output", "json").succeeded());
    assertThat(verified.get("platforms")).hasSize(2);
    JsonNode plan = json(berth.run("plan", tree.toString(), "--output", "json").succeeded());
    for (JsonNode part : plan.get("platforms")) {
      for (JsonNode item : part.get("images")) {
        assertThat(item.get("action").asText()).isEqualTo("cached");
      }
    }

    // Pulled into an empty store: the whole index with --all, one child for an arm64 build with --pull=missing.
    Berth empty = new Berth(work.resolve("store-pulled"));
    String pulled = empty.run("pull", "--all", registry.host() + "/multi/app:1.0").succeeded().stdout();
    assertThat(pulled).contains(indexDigest);
    Path leafTree = Files.createDirectories(work.resolve("leaf-tree"));
    image(leafTree, "leaf", registry.host() + "/multi/app:1.0", "");
    Berth fresh = new Berth(work.resolve("store-leaf"));
    JsonNode leaf = json(fresh.run("build", leafTree.toString(), "--platform", "linux/arm64", "--pull=missing",
        "--output", "json").succeeded());
    assertThat(leaf.get("images").get(0).get("state").asText()).isIn("built", "verified");
    String leafKey = leaf.get("images").get(0).get("key").asText();
    String inspected = fresh.run("inspect", "--platform", "linux/arm64", "leaf:" + leafKey).succeeded().stdout();
    assertThat(inspected).contains("arm64");

    JsonNode both = json(fresh.run("build", leafTree.toString(), "--platform", "linux/arm64,linux/amd64",
        "--pull=missing", "--output", "json").succeeded());
    assertThat(find(both.get("indexes"), "name", "leaf").get("platforms")).hasSize(2);
    var before = Berth.fileTree(work.resolve("store-leaf"));
    fresh.run("build", leafTree.toString(), "--platform", "linux/ppc64le", "--pull=missing")
        .failedWithOneLine(registry.host() + "/multi/app:1.0 has no image for linux/ppc64le");
    assertThat(Berth.fileTree(work.resolve("store-leaf"))).as("the store after a refused run").isEqualTo(before);
  }

  /**
   * The two sides of issue 15 together: one tree for two platforms whose child runs a command. The
   * arm64 child's step runs under qemu (marked emulated in the plan), the amd64 one natively; the pushed
   * index holds both, and runc, outside berth, runs each child's busybox on its own architecture.
   */
  @Test
  @Tag("runc")
  @Tag("qemu")
  void aRunStepOfATwoPlatformTreeRunsOnEachPlatformsOwnArchitecture() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/arch\n"
        + "platforms: [linux/amd64, linux/arm64]\n");
    image(tree, "base", "test/busybox:1", "");
    image(tree, "app", "base", "run:\n  - uname -m > /arch\nverify:\n  - test \"$(uname -m)\" = \"$(cat /arch)\"\n"
        + "tags: [\"{key}\", \"1.0\"]\n");
    Berth berth = storeWithBusyboxIndex(work.resolve("store"));

    assertAppEmulatedOnArm64Only(json(berth.run("plan", tree.toString(), "--output", "json").succeeded()));
    JsonNode built = json(berth.run("build", tree.toString(), "--push", "--output", "json").succeeded());
    assertThat(find(find(built.get("platforms"), "platform", "linux/amd64").get("images"), "name", "app").get("key"))
        .as("keys differ per platform")
        .isNotEqualTo(find(find(built.get("platforms"), "platform", "linux/arm64").get("images"), "name", "app").get("key"));
    assertEachChildRunsOnItsArchitecture(registry.host() + "/arch/app:1.0", "/arch");
    JsonNode again = json(berth.run("build", tree.toString(), "--output", "json").succeeded());
    for (JsonNode part : again.get("platforms")) {
      for (JsonNode image : part.get("images")) {
        assertThat(image.get("state").asText()).as("%s on %s, built again", image.get("name"), part.get("platform"))
            .isIn("cached", "verified");
      }
    }
  }

  /**
   * The same with an apt step, on Debian bases for both platforms: only where scripts/make-debian-base
   * --arch arm64 has cached the arm64 one (mmdebstrap under qemu takes many minutes; a fresh CI machine skips).
   */
  @Test
  @Tag("runc")
  @Tag("qemu")
  void anAptStepOfATwoPlatformTreeInstallsEachPlatformsPackages() throws Exception {
    Path cache = Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache"));
    Path arm64 = cache.resolve("berth-test/debian-bookworm-slim-arm64.tar");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(arm64),
        "no cached arm64 Debian base (scripts/make-debian-base --arch arm64)");
    String amd64 = Berth.tool(work, Path.of("..", "scripts", "make-debian-base").toAbsolutePath().toString()).strip();
    Berth berth = new Berth(work.resolve("store"));
    berth.run("import", amd64, "--as", "test/debian:amd64", "--no-snapshot").succeeded();
    berth.run("import", arm64.toString(), "--as", "test/debian:arm64", "--platform", "linux/arm64", "--no-snapshot")
        .succeeded();
    ContentStore opened = ContentStore.open(work.resolve("store"));
    opened.tag("test/debian:12", opened.writeBlob(MediaTypes.OCI_INDEX, ImageIndex.oci(List.of(
        opened.resolve("test/debian:amd64").orElseThrow().withoutAnnotations().withPlatform(Platform.parse("linux/amd64")),
        opened.resolve("test/debian:arm64").orElseThrow().withoutAnnotations().withPlatform(Platform.parse("linux/arm64"))))
        .toJson()));
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/apt\n"
        + "platforms: [linux/amd64, linux/arm64]\n");
    image(tree, "base", "test/debian:12", "");
    image(tree, "app", "base", "apt: [jq]\nrun:\n  - uname -m > /arch && dpkg-query -W -f '${Architecture}' jq > /jq-arch\n"
        + "verify:\n  - echo '{\"a\":41}' | jq '.a + 1'\ntags: [\"{key}\", \"1.0\"]\n");

    assertAppEmulatedOnArm64Only(json(berth.run("plan", tree.toString(), "--output", "json").succeeded()));
    berth.run("build", tree.toString(), "--push", "--output", "json").succeeded();
    assertEachChildRunsOnItsArchitecture(registry.host() + "/apt/app:1.0", "/arch");
    ImageIndex index = ImageIndex.parse(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + registry.host() + "/apt/app:1.0").getBytes(StandardCharsets.UTF_8));
    for (Descriptor child : index.manifests()) {
      Path layout = work.resolve("jq-" + child.platform().architecture());
      Berth.tool(work, "skopeo", "copy", "--src-tls-verify=false",
          "docker://" + registry.host() + "/apt/app@" + child.digest(), "oci:" + layout + ":child");
      assertThat(Bundles.run(work, layout, "child", "cat", "/jq-arch")).as("jq's package architecture")
          .isEqualTo(child.platform().architecture());
    }
  }

  private static void assertAppEmulatedOnArm64Only(JsonNode plan) {
    JsonNode amd64 = find(find(plan.get("platforms"), "platform", "linux/amd64").get("images"), "name", "app");
    JsonNode arm64 = find(find(plan.get("platforms"), "platform", "linux/arm64").get("images"), "name", "app");
    assertThat(amd64.has("emulated")).as("a native step is never emulated").isFalse();
    assertThat(arm64.path("emulated").path("platform").path("architecture").asText()).isEqualTo("arm64");
  }

  /** Each child of the index at {@code reference}, unpacked by umoci and run by runc: uname -m and {@code file}. */
  private void assertEachChildRunsOnItsArchitecture(String reference, String file) throws Exception {
    ImageIndex index = ImageIndex.parse(Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false",
        "docker://" + reference).getBytes(StandardCharsets.UTF_8));
    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).extracting(child -> child.platform().toString())
        .containsExactly("linux/amd64", "linux/arm64");
    String repository = reference.substring(0, reference.lastIndexOf(':'));
    for (Descriptor child : index.manifests()) {
      String machine = child.platform().architecture().equals("arm64") ? "aarch64" : "x86_64";
      Path layout = work.resolve("run-" + child.platform().architecture() + "-" + UUID.randomUUID());
      Berth.tool(work, "skopeo", "copy", "--src-tls-verify=false", "docker://" + repository + "@" + child.digest(),
          "oci:" + layout + ":child");
      assertThat(Bundles.run(work, layout, "child", "uname", "-m")).isEqualTo(machine);
      assertThat(Bundles.run(work, layout, "child", "cat", file)).as("written by the run step").isEqualTo(machine);
    }
  }

  /**
   * As BuildKit defines them: a {@code FROM --platform=$BUILDPLATFORM} stage runs on this machine (its RUN
   * natively, once per target since it uses TARGETARCH), the final stage is each target's, with
   * TARGETARCH and TARGETPLATFORM of that target.
   */
  @Test
  @Tag("runc")
  void aDockerfileBuildStageRunsNativelyAndTheFinalStageIsPerPlatform() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Path folder = Files.createDirectories(tree.resolve("df"));
    Files.writeString(folder.resolve("Dockerfile"), """
        FROM --platform=$BUILDPLATFORM test/busybox:1 AS build
        ARG TARGETARCH
        ARG BUILDARCH
        RUN echo "built on $BUILDARCH for $TARGETARCH ($(uname -m))" > /arch
        FROM test/busybox:1
        ARG TARGETARCH
        ARG TARGETPLATFORM
        ARG TARGETVARIANT
        LABEL arch=$TARGETARCH platform=$TARGETPLATFORM variant=x$TARGETVARIANT
        COPY --from=build /arch /arch
        """);
    Berth berth = storeWithBusyboxIndex(work.resolve("store"));
    JsonNode built = json(berth.run("build", tree.toString(), "--platform", "linux/amd64,linux/arm64",
        "--sbom", "none", "--output", "json").succeeded());  // (a copy writes the image's SBOM under its name too)
    JsonNode index = find(built.get("indexes"), "name", "df");
    assertThat(index.get("platforms").toString()).contains("linux/amd64", "linux/arm64");
    String host = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    String hostMachine = host.equals("amd64") ? "x86_64" : "aarch64";
    for (String arch : List.of("amd64", "arm64")) {
      Path layout = work.resolve("df-" + arch);
      berth.run("copy", "--platform", "linux/" + arch, "df:" + index.get("key").asText(), "oci:" + layout + ":df")
          .succeeded();
      Path bundle = work.resolve("df-bundle-" + arch);
      Berth.tool(work, "umoci", "unpack", "--image", layout + ":df", bundle.toString());
      assertThat(bundle.resolve("rootfs/arch")).hasContent("built on " + host + " for " + arch + " (" + hostMachine + ")");
      String config = Files.readString(bundle.resolve("config.json"));
      assertThat(config).contains("\"arch\": \"" + arch + "\"").contains("\"platform\": \"linux/" + arch + "\"")
          .contains("\"variant\": \"x\"");
    }
  }

  @Test
  void badPlatformInputIsOneLineAndLeavesTheStoreAsItWas() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    image(tree, "base", "test/busybox:amd64", "");
    Path store = work.resolve("store");
    Berth berth = storeWithBusyboxIndex(store);
    var before = Berth.fileTree(store);

    Berth.Result unknown = berth.run("build", tree.toString(), "--platform", "linux/amd64,linux/amd46");
    unknown.failedWithOneLine("unknown architecture 'amd46'");
    assertThat(unknown.exitCode()).isEqualTo(2);

    Berth.Result lacking = berth.run("build", tree.toString(), "--platform", "linux/amd64,linux/arm64");
    lacking.failedWithOneLine("test/busybox:amd64");
    assertThat(lacking.stderr()).contains("linux/arm64");
    assertThat(lacking.exitCode()).isEqualTo(1);

    Path layout = work.resolve("layout");
    berth.run("copy", "test/busybox:amd64", "oci:" + layout + ":bb").succeeded();
    before = Berth.fileTree(store);
    image(tree, "base", "oci:" + layout + ":bb", "");
    berth.run("build", tree.toString(), "--platform", "linux/amd64,linux/arm64")
        .failedWithOneLine("base 'oci:" + layout + ":bb' is for linux/amd64, not linux/arm64");

    Files.writeString(tree.resolve("base/image.yaml"), "base: test/busybox:1\nplatforms: [linux/amd64, linux/s390]\n");
    berth.run("build", tree.toString()).failedWithOneLine("image.yaml:2");

    Files.writeString(tree.resolve("berth.yaml"), "platforms: [linux/amd64, linux/arm64]\n");
    image(tree, "base", "test/busybox:1", "platforms: [linux/amd64]\n");
    image(tree, "child", "base", "");
    berth.run("build", tree.toString()).failedWithOneLine("'base', which it builds on, is not");
    assertThat(Berth.fileTree(store)).as("the store after refused runs").isEqualTo(before);
  }
}
