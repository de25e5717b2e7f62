package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command steps in runc over overlayfs, on the busybox base and on a Debian base made with mmdebstrap. */
@Tag("integration")
@Tag("umoci")
@Tag("runc")
class RunStepsIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path work;
  static Berth berth;
  static Path store;

  @BeforeAll
  static void bases() throws Exception {
    store = work.resolve("store");
    berth = new Berth(store);
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
    String debian = Berth.tool(REPO, REPO.resolve("scripts/make-debian-base").toString()).strip();
    berth.run("import", debian, "--as", "test/debian:bookworm").succeeded();
  }

  static Path image(String name, String yaml) throws Exception {
    Path folder = Files.createDirectories(work.resolve("trees").resolve(name).resolve(name));
    Files.writeString(folder.resolve("image.yaml"), yaml);
    return folder;
  }

  static JsonNode manifest(String keyName) throws Exception {
    String line = berth.run("store", "ls").succeeded().stdout().lines().filter(l -> l.startsWith(keyName + " "))
        .findFirst().orElseThrow();
    String digest = line.split(" +")[1];
    return Json.tree(Files.readAllBytes(store.resolve("blobs/sha256/" + digest.substring(7))));
  }

  static List<TarArchiveEntry> entries(JsonNode layer) throws Exception {
    List<TarArchiveEntry> out = new ArrayList<>();
    Path blob = store.resolve("blobs/sha256/" + layer.get("digest").asText().substring(7));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(blob));
         TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        out.add(entry);
      }
    }
    return out;
  }

  static String keyName(Berth.Result result, String name) {
    return result.stdout().lines().filter(l -> l.contains(" " + name + ":")).findFirst().orElseThrow().split(" +")[1];
  }

  @Test
  void aptInstallsJqAndLeavesNoListsOrCaches() throws Exception {
    Path folder = image("jq", """
        base: test/debian:bookworm
        apt: [jq]
        verify:
          - jq --version
          - jq --null-input -e '1 + 41 == 42'
        """);
    Berth.Result result = berth.run("build", folder.toString()).succeeded();
    JsonNode manifest = manifest(keyName(result, "jq"));
    assertThat(manifest.get("layers")).hasSize(2);
    List<String> names = entries(manifest.get("layers").get(1)).stream().map(TarArchiveEntry::getName).toList();
    assertThat(names).contains("usr/bin/jq");
    assertThat(names).noneMatch(name -> name.startsWith("var/lib/apt/lists/") && !name.endsWith("lists/")
        && !name.endsWith("partial/") && !name.endsWith(".wh..wh..opq") && !name.contains("/.wh."));
    assertThat(names).noneMatch(name -> name.matches("var/cache/apt/[^/]+\\.bin"));
  }

  @Test
  void anAptStepBuiltInAnotherEmptyStoreGivesTheSameDigest() throws Exception {
    // dpkg's log and ldconfig's aux-cache record times and inodes; the layer must not depend on them
    Path folder = image("jq-again", """
        base: test/debian:bookworm
        apt: [jq]
        """);
    String key = keyName(berth.run("build", folder.toString(), "--force").succeeded(), "jq-again");
    Berth other = new Berth(work.resolve("other-store"));
    String debian = Berth.tool(REPO, REPO.resolve("scripts/make-debian-base").toString()).strip();
    other.run("import", debian, "--as", "test/debian:bookworm").succeeded();
    assertThat(keyName(other.run("build", folder.toString(), "--force").succeeded(), "jq-again")).isEqualTo(key);
    assertThat(storedDigest(other, key)).isEqualTo(storedDigest(berth, key));
  }

  /** The manifest digest {@code store ls} gives for {@code keyName}. */
  private static String storedDigest(Berth store, String keyName) throws Exception {
    return store.run("store", "ls").succeeded().stdout().lines().filter(l -> l.startsWith(keyName + " "))
        .findFirst().orElseThrow().split(" +")[1];
  }

  @Test
  void deletionsBecomeWhiteoutsAndRecreatedDirectoriesAreOpaque() throws Exception {
    Path folder = image("whiteouts", """
        base: test/busybox:1
        steps:
          - run: mkdir -p /srv/old && echo x > /srv/old/file && echo y > /srv/keep
          - run: rm /bin/vi && rm -rf /srv && mkdir /srv && echo new > /srv/only
        """);
    Berth.Result result = berth.run("build", folder.toString(), "--output", "oci:" + work.resolve("wlayout") + ":w")
        .succeeded();
    JsonNode manifest = manifest(keyName(result, "whiteouts"));
    List<String> names = entries(manifest.get("layers").get(2)).stream().map(TarArchiveEntry::getName).toList();
    assertThat(names).contains("bin/.wh.vi", "srv/.wh..wh..opq", "srv/only");
    Path bundle = work.resolve("wbundle");
    Berth.tool(work, "umoci", "unpack", "--image", work.resolve("wlayout") + ":w", bundle.toString());
    assertThat(bundle.resolve("rootfs/bin/vi")).doesNotExist();
    assertThat(bundle.resolve("rootfs/bin/sh")).exists();
    assertThat(bundle.resolve("rootfs/srv/only")).hasContent("new");
    assertThat(bundle.resolve("rootfs/srv/keep")).doesNotExist();
    assertThat(bundle.resolve("rootfs/srv/old")).doesNotExist();
  }

  @Test
  void withoutOverlayfsTheCopyFallbackMakesAnEquivalentImage() throws Exception {
    Path folder = image("fallback", """
        base: test/busybox:1
        steps:
          - run: mkdir -p /srv/old && echo x > /srv/old/file && echo y > /srv/keep
          - run: rm /bin/vi && rm -rf /srv && mkdir /srv && echo new > /srv/only && chmod 600 /etc/group
        verify:
          - test ! -e /bin/vi && test "$(cat /srv/only)" = new && test ! -e /srv/keep
        """);
    Path otherStore = work.resolve("fallback-store");
    Berth noOverlay = new Berth(otherStore, java.util.Map.of("BERTH_OVERLAY", "off"));
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    noOverlay.run("import", busybox, "--as", "test/busybox:1", "--no-snapshot").succeeded();
    noOverlay.run("build", folder.toString(), "--output", "oci:" + work.resolve("flayout") + ":f").succeeded();
    assertThat(otherStore.resolve("berth-snapshots")).doesNotExist();
    Path bundle = work.resolve("fbundle");
    Berth.tool(work, "umoci", "unpack", "--image", work.resolve("flayout") + ":f", bundle.toString());
    assertThat(bundle.resolve("rootfs/bin/vi")).doesNotExist();
    assertThat(bundle.resolve("rootfs/srv/only")).hasContent("new");
    assertThat(bundle.resolve("rootfs/srv/keep")).doesNotExist();
    assertThat(bundle.resolve("rootfs/srv/old")).doesNotExist();
    assertThat(Files.getAttribute(bundle.resolve("rootfs/etc/group"), "unix:mode")).isEqualTo(0100600);
  }

  @Test
  void aFailingCommandCommitsNothingAndTheFixReusesEarlierSteps() throws Exception {
    Path folder = image("failing", """
        base: test/busybox:1
        steps:
          - run: echo first > /first
          - run: echo going to fail; echo to stderr >&2; exit 3
        """);
    List<String> blobsBefore = Berth.snapshot(store.resolve("blobs"));
    Berth.Result failed = berth.run("build", folder.toString());
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stdout()).contains("failed").contains("step 2/2")
        .contains("exited 3").contains("going to fail").contains("to stderr");
    List<String> blobsAfter = Berth.snapshot(store.resolve("blobs"));
    assertThat(blobsAfter.size() - blobsBefore.size()).as("only the first step's layer").isEqualTo(1);
    assertThat(berth.run("store", "ls").succeeded().stdout()).doesNotContain("failing:");

    Files.writeString(folder.resolve("image.yaml"), """
        base: test/busybox:1
        steps:
          - run: echo first > /first
          - run: echo fixed > /second
        """);
    Berth.Result fixed = berth.run("build", folder.toString()).succeeded();
    assertThat(fixed.stderr()).contains("step 1/2 run \"echo first > /first\" (cached)");
  }

  @Test
  void secretsAndCachesNeverReachTheLayerAndRunStepsHaveNoNetwork() throws Exception {
    Path folder = image("mounts", """
        base: test/busybox:1
        cache: [/var/cache/thing]
        secrets:
          - {id: token, src: token.txt}
        steps:
          - run: test "$(wc -c < /run/secrets/token)" = 6 && echo run >> /var/cache/thing/log && cp /var/cache/thing/log /runs
          - run: test "$(ip link | grep -c mtu)" = 1 && echo offline > /net
        """);
    Files.writeString(folder.resolve("token.txt"), "Q7vX2k");
    Berth.Result result = berth.run("build", folder.toString()).succeeded();
    JsonNode manifest = manifest(keyName(result, "mounts"));
    List<TarArchiveEntry> first = entries(manifest.get("layers").get(1));
    assertThat(first).extracting(TarArchiveEntry::getName).containsExactly("runs");
    assertThat(entries(manifest.get("layers").get(2))).extracting(TarArchiveEntry::getName).containsExactly("net");

    Files.writeString(folder.resolve("token.txt"), "W4jR8n");
    Files.writeString(folder.resolve("image.yaml"), Files.readString(folder.resolve("image.yaml"))
        .replace("/runs", "/runs2"));
    Berth.Result second = berth.run("build", folder.toString()).succeeded();
    JsonNode next = manifest(keyName(second, "mounts"));
    List<TarArchiveEntry> runs = entries(next.get("layers").get(1));
    assertThat(runs).extracting(TarArchiveEntry::getName).containsExactly("runs2");
    assertThat(runs.get(0).getSize()).as("the cache kept the first run's line").isEqualTo("run\nrun\n".length());
    for (Path blob : Files.list(store.resolve("blobs/sha256")).toList()) {
      byte[] content = Files.readAllBytes(blob);
      if (blob.getFileName().toString().length() == 64 && content.length > 2 && content[0] == 0x1f) {
        content = new GZIPInputStream(new java.io.ByteArrayInputStream(content)).readAllBytes();
      }
      assertThat(new String(content, StandardCharsets.ISO_8859_1)).doesNotContain("Q7vX2k").doesNotContain("W4jR8n");
    }
  }
}
