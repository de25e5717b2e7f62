package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Foreign-platform steps and checks under qemu-user-static through binfmt_misc (registered by
 * scripts/binfmt with the F flag): an arm64 busybox image's run step and verify commands print
 * {@code aarch64} and are marked emulated, the amd64 one's print {@code x86_64} and are not; umoci and
 * runc, outside berth, run the arm64 result the same way; without emulation the build is refused in one
 * line before anything is written. {@code berth layered --arch arm64} takes the arm64 image of the
 * runtime's index when the registry has no {@code -arm64} tag, and its result runs as arm64.
 */
@Tag("integration")
@Tag("umoci")
@Tag("runc")
@Tag("qemu")
@Tag("registry")
@Tag("skopeo")
class EmulationIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");

  @TempDir static Path work;
  static Berth berth;
  static Path store;

  @BeforeAll
  static void bases() throws Exception {
    store = work.resolve("store");
    berth = new Berth(store);
    String amd64 = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    String arm64 = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString(), "--arch", "arm64").strip();
    berth.run("import", amd64, "--as", "test/busybox:amd64").succeeded();
    berth.run("import", arm64, "--as", "test/busybox:arm64", "--platform", "linux/arm64").succeeded();
  }

  private static Path tree(String name, String... images) throws Exception {
    Path tree = Files.createDirectories(work.resolve(name));
    for (int i = 0; i < images.length; i += 2) {
      Path folder = Files.createDirectories(tree.resolve(images[i]));
      Files.writeString(folder.resolve("image.yaml"), images[i + 1]);
    }
    return tree;
  }

  private static String unameImage(String arch, String expected) {
    return """
        base: test/busybox:%s
        platform: linux/%s
        run:
          - uname -m > /arch
        verify:
          - uname -m
          - test "$(cat /arch)" = %s
        """.formatted(arch, arch, expected);
  }

  @Test
  void anArm64ImageRunsItsStepAndChecksUnderQemuAndTheAmd64OneNatively() throws Exception {
    Path tree = tree("uname", "arm", unameImage("arm64", "aarch64"), "amd", unameImage("amd64", "x86_64"));

    JsonNode plan = Json.tree(berth.run("plan", tree.toString(), "--output", "json").succeeded()
        .stdout().getBytes(StandardCharsets.UTF_8));
    assertThat(item(plan, "arm").path("emulated").path("platform").path("architecture").asText()).isEqualTo("arm64");
    assertThat(item(plan, "arm").path("emulated").path("flags").asText()).contains("F");
    assertThat(item(plan, "amd").has("emulated")).as("native images are never emulated").isFalse();

    List<JsonNode> events = events(berth.run("build", tree.toString(), "--progress=json").succeeded().stderr());
    assertThat(output(events, "arm")).contains("aarch64").doesNotContain("x86_64");
    assertThat(output(events, "amd")).contains("x86_64").doesNotContain("aarch64");
    JsonNode armStep = only(events, "StepFinished", "arm");
    assertThat(armStep.path("cache").asText()).isEqualTo("MISS");
    assertThat(armStep.path("emulated").path("handler").asText()).isNotEmpty();
    assertThat(BINFMT_MISC.resolve(armStep.path("emulated").path("handler").asText()))
        .as("the handler the kernel has registered").exists();
    assertThat(only(events, "StepStarted", "arm").path("emulated").path("platform").path("architecture").asText())
        .isEqualTo("arm64");
    assertThat(only(events, "Verified", "arm").path("emulated").path("platform").path("architecture").asText())
        .isEqualTo("arm64");
    assertThat(only(events, "StepFinished", "amd").has("emulated")).isFalse();
    assertThat(only(events, "Verified", "amd").has("emulated")).isFalse();

    String armKey = item(plan, "arm").path("key").asText();
    assertThat(runInBundle("arm:" + armKey, "uname", "-m")).isEqualTo("aarch64");
    assertThat(runInBundle("arm:" + armKey, "cat", "/arch")).isEqualTo("aarch64");
    String amdKey = item(plan, "amd").path("key").asText();
    assertThat(runInBundle("amd:" + amdKey, "uname", "-m")).isEqualTo("x86_64");
  }

  /**
   * apt under emulation on an arm64 Debian base: only where scripts/make-debian-base --arch arm64 has
   * already cached one, since mmdebstrap under qemu takes many minutes (and the apt step about two).
   */
  @Test
  void anAptStepInAnArm64DebianImageInstallsArm64Packages() throws Exception {
    Path cache = Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME", System.getProperty("user.home") + "/.cache"));
    Path debian = cache.resolve("berth-test/debian-bookworm-slim-arm64.tar");
    assumeTrue(Files.isRegularFile(debian), "no cached arm64 Debian base (scripts/make-debian-base --arch arm64)");
    berth.run("import", debian.toString(), "--as", "test/debian:bookworm-arm64", "--platform", "linux/arm64").succeeded();
    Path tree = tree("apt", "jq", """
        base: test/debian:bookworm-arm64
        platform: linux/arm64
        apt: [jq]
        verify:
          - dpkg --print-architecture
          - echo '{"a":41}' | jq '.a + 1'
        """);
    List<JsonNode> events = events(berth.run("build", tree.toString(), "--progress=json").succeeded().stderr());
    assertThat(output(events, "jq")).contains("arm64", "42");
    assertThat(only(events, "StepFinished", "jq").path("emulated").path("platform").path("architecture").asText())
        .isEqualTo("arm64");
  }

  @Test
  void withoutEmulationAForeignImageIsRefusedInOneLineAndTheStoreIsUnchanged() throws Exception {
    Path tree = tree("refused", "arm", unameImage("arm64", "aarch64"));
    Path empty = Files.createDirectories(work.resolve("no-binfmt-misc"));
    Berth unemulated = new Berth(store, Map.of("BERTH_BINFMT_MISC", empty.toString()));
    List<String> before = Berth.snapshot(store);

    unemulated.run("build", tree.toString()).failedWithOneLine("arm: linux/arm64 steps need an emulator"
        + " (qemu-user-static with binfmt_misc) on this linux/amd64 machine: binfmt_misc is not mounted at " + empty
        + " (mount -t binfmt_misc binfmt_misc " + empty + "; apt-get install qemu-user-static binfmt-support;"
        + " update-binfmts --enable qemu-aarch64)");
    Berth.Result plan = unemulated.run("plan", tree.toString(), "--output", "json");
    assertThat(plan.exitCode()).isNotZero();
    JsonNode item = item(Json.tree(plan.stdout().getBytes(StandardCharsets.UTF_8)), "arm");
    assertThat(item.path("action").asText()).isEqualTo("failed");
    assertThat(item.path("reason").asText()).contains("update-binfmts --enable qemu-aarch64");
    assertThat(Berth.snapshot(store)).isEqualTo(before);
  }

  @Test
  void aPlatformWithNoRegisteredHandlerIsRefusedNamingItsQemuPackage() throws Exception {
    assumeTrue(!Files.exists(BINFMT_MISC.resolve("qemu-s390x")), "an s390x handler is registered here");
    Path tree = tree("s390x", "big", """
        base: scratch
        platform: linux/s390x
        run:
          - "true"
        """);
    List<String> before = Berth.snapshot(store);
    berth.run("build", tree.toString()).failedWithOneLine("big: linux/s390x steps need an emulator"
        + " (qemu-user-static with binfmt_misc) on this linux/amd64 machine: no binfmt_misc entry runs s390x"
        + " executables (apt-get install qemu-user-static binfmt-support; update-binfmts --enable qemu-s390x)");
    assertThat(Berth.snapshot(store)).isEqualTo(before);
  }

  @Test
  void layeredArm64TakesTheArm64ImageOfTheRuntimesIndexWhenThereIsNoArm64Tag() throws Exception {
    Path layout = work.resolve("runtime-index");
    Berth.tool(work, "skopeo", "copy", "oci:" + store + ":test/busybox:amd64", "oci:" + layout + ":amd64");
    Berth.tool(work, "skopeo", "copy", "oci:" + store + ":test/busybox:arm64", "oci:" + layout + ":arm64");
    writeIndex(layout, "runtime", "amd64", "arm64");
    Path layer = Files.createDirectories(work.resolve("layer/python"));
    Files.writeString(layer.resolve("util.py"), "X = 1\n");
    try (dev.berth.testing.LocalRegistry registry = dev.berth.testing.LocalRegistry.startPlain()) {
      Berth.tool(work, "skopeo", "copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":runtime",
          "docker://" + registry.host() + "/lambda/python:3.12");
      for (String[] arch : new String[][] {{"arm64", "aarch64"}, {"x86_64", "x86_64"}}) {
        // A store each: a pulled index is stored as the one child pulled, under the index's tag.
        Path samStore = work.resolve("sam-store-" + arch[0]);
        Berth sam = new Berth(samStore);
        Berth.Result built = sam.run("layered", "--runtime", "python3.12", "--arch", arch[0], "--registry-prefix",
            registry.host() + "/lambda", "--layer", layer.getParent().toString()).succeeded();
        String reference = built.stdout().strip();
        assertThat(reference).matches("berth-lambda/python:3\\.12-" + arch[0] + "-[0-9a-f]{24}");
        JsonNode config = Json.tree(Berth.tool(work, "skopeo", "inspect", "--config", "oci:" + samStore + ":" + reference)
            .getBytes(StandardCharsets.UTF_8));
        assertThat(config.path("architecture").asText()).isEqualTo(arch[0].equals("arm64") ? "arm64" : "amd64");
        assertThat(runInBundle(samStore, reference, "uname", "-m")).isEqualTo(arch[1]);
        assertThat(runInBundle(samStore, reference, "cat", "/opt/python/util.py")).isEqualTo("X = 1");
      }
    }
  }

  /** Adds to the OCI layout an image index named {@code name} over its images tagged {@code archs} (linux/ARCH each). */
  private static void writeIndex(Path layout, String name, String... archs) throws Exception {
    ObjectNode layoutIndex = (ObjectNode) Json.tree(Files.readAllBytes(layout.resolve("index.json")));
    ObjectNode index = Json.mapper().createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    var children = index.putArray("manifests");
    for (String arch : archs) {
      for (JsonNode entry : layoutIndex.path("manifests")) {
        if (entry.path("annotations").path("org.opencontainers.image.ref.name").asText().equals(arch)) {
          ObjectNode child = children.addObject();
          child.put("mediaType", entry.path("mediaType").asText());
          child.put("digest", entry.path("digest").asText());
          child.put("size", entry.path("size").asLong());
          child.putObject("platform").put("architecture", arch).put("os", "linux");
        }
      }
    }
    assertThat(children).hasSize(archs.length);
    byte[] bytes = Json.mapper().writeValueAsBytes(index);
    String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    Files.write(layout.resolve("blobs/sha256/" + hex), bytes);
    ObjectNode entry = ((com.fasterxml.jackson.databind.node.ArrayNode) layoutIndex.get("manifests")).addObject();
    entry.put("mediaType", "application/vnd.oci.image.index.v1+json");
    entry.put("digest", "sha256:" + hex);
    entry.put("size", bytes.length);
    entry.putObject("annotations").put("org.opencontainers.image.ref.name", name);
    Files.write(layout.resolve("index.json"), Json.mapper().writeValueAsBytes(layoutIndex));
  }

  private static String runInBundle(String image, String... command) throws Exception {
    return runInBundle(store, image, command);
  }

  private static String runInBundle(Path store, String image, String... command) throws Exception {
    return Bundles.runFromStore(work, store, image, command);
  }

  private static JsonNode item(JsonNode plan, String name) {
    for (JsonNode item : plan.path("images")) {
      if (item.path("name").asText().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("no plan item " + name + " in " + plan);
  }

  private static List<JsonNode> events(String stderr) {
    List<JsonNode> events = new ArrayList<>();
    for (String line : stderr.strip().split("\n")) {
      events.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }

  private static JsonNode only(List<JsonNode> events, String type, String image) {
    List<JsonNode> found = events.stream()
        .filter(event -> event.path("type").asText().equals(type) && event.path("image").asText().equals(image))
        .toList();
    assertThat(found).as("%s events of %s", type, image).hasSize(1);
    return found.get(0);
  }

  private static List<String> output(List<JsonNode> events, String image) {
    return events.stream()
        .filter(event -> event.path("type").asText().equals("Output") && event.path("image").asText().equals(image))
        .map(event -> event.path("line").asText().strip())
        .toList();
  }
}
