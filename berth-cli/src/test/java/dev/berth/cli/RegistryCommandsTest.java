package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.ExternalTools;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pull, push, copy and inspect against a real registry, cross-checked with skopeo. */
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
class RegistryCommandsTest {
  private static LocalRegistry registry;

  @TempDir Path temp;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  /** What one berth invocation printed and returned. */
  record Run(int status, String out, String err) {}

  static Run berth(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int status = Main.run(args);
      return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void whatBerthPushesSkopeoReadsWithIdenticalDigests() throws Exception {
    Path storeDir = temp.resolve("store");
    ContentStore store = ContentStore.open(storeDir);
    Descriptor image = TestImages.randomImage(store, "cli/app:1", 31, Platform.LINUX_AMD64, 200_000, 50_000);
    String target = registry.host() + "/cli/app:1";

    Run push = berth("push", "--store", storeDir.toString(), target);
    assertThat(push.status()).as(push.err()).isZero();
    assertThat(push.out()).contains("pushed " + target + "@" + image.digest()).contains(": 3 blobs uploaded");
    Run again = berth("push", "--store", storeDir.toString(), target);
    assertThat(again.out()).contains("already up to date");

    String raw = ExternalTools.runOrFail("skopeo", "inspect", "--tls-verify=false", "--raw", "docker://" + target).stdout();
    assertThat(Digest.sha256(raw.getBytes(StandardCharsets.UTF_8))).isEqualTo(image.digest());
    String inspected = ExternalTools.runOrFail("skopeo", "inspect", "--tls-verify=false", "docker://" + target).stdout();
    assertThat(inspected).contains("\"Digest\": \"" + image.digest() + "\"");

    Path layout = temp.resolve("skopeo-layout");
    ExternalTools.runOrFail("skopeo", "copy", "--src-tls-verify=false", "--preserve-digests", "docker://" + target, "oci:" + layout + ":copied");
    ContentStore copied = ContentStore.open(layout);
    assertThat(copied.resolve("copied")).map(Descriptor::digest).contains(image.digest());
    for (Digest digest : store.reachableFrom(image)) {
      assertThat(copied.readBlob(digest)).isEqualTo(store.readBlob(digest));
    }

    Path berthLayout = temp.resolve("berth-layout");
    Run copy = berth("copy", "--store", storeDir.toString(), "docker://" + target, "oci:" + berthLayout + ":mine");
    assertThat(copy.status()).as(copy.err()).isZero();
    String viaSkopeo = ExternalTools.runOrFail("skopeo", "inspect", "--raw", "oci:" + berthLayout + ":mine").stdout();
    assertThat(viaSkopeo.trim()).isEqualTo(raw.trim());
    ExternalTools.runOrFail("umoci", "stat", "--image", berthLayout + ":mine");

    Run inspectRaw = berth("inspect", "--raw", target);
    assertThat(inspectRaw.out().trim()).isEqualTo(raw.trim());
    Run inspect = berth("inspect", target);
    assertThat(inspect.out()).contains("\"digest\" : \"" + image.digest() + "\"").contains("\"diff_ids\"");
  }

  @Test
  void whatSkopeoPushesBerthPullsIntact() throws Exception {
    Path layoutDir = temp.resolve("layout");
    Descriptor image = TestImages.randomImage(ContentStore.open(layoutDir), "v1", 32, Platform.LINUX_AMD64, 150_000, 1_000);
    String target = registry.host() + "/skopeo/app:1";
    ExternalTools.runOrFail("skopeo", "copy", "--dest-tls-verify=false", "--format", "v2s2",
        "oci:" + layoutDir + ":v1", "docker://" + target);

    Path storeDir = temp.resolve("store");
    Run pull = berth("pull", "--store", storeDir.toString(), "docker://" + target);
    assertThat(pull.status()).as(pull.err()).isZero();
    assertThat(pull.out()).contains("3 blobs downloaded");
    ContentStore store = ContentStore.open(storeDir);
    Descriptor pulled = store.resolve(target).orElseThrow();
    assertThat(pulled.mediaType()).as("skopeo converted to Docker v2.2").isEqualTo(
        "application/vnd.docker.distribution.manifest.v2+json");
    assertThat(pulled.digest()).isNotEqualTo(image.digest());
    Run fsck = berth("store", "fsck", "--store", storeDir.toString());
    assertThat(fsck.status()).as(fsck.out()).isZero();
    assertThat(fsck.out()).contains("all intact");

    Run copyBack = berth("copy", "--store", storeDir.toString(), target,
        "docker://" + registry.host() + "/copied/app:2");
    assertThat(copyBack.status()).as(copyBack.err()).isZero();
    assertThat(copyBack.out()).contains("3 mounted");
  }

  @Test
  void badInputGivesOneClearLine() throws Exception {
    Path storeDir = temp.resolve("store");
    Run malformed = berth("pull", "--store", storeDir.toString(), "docker://127.0.0.1:1/UPPER:x");
    assertThat(malformed.status()).isNotZero();
    assertThat(malformed.err()).contains("invalid image reference '127.0.0.1:1/UPPER:x'");

    Run unknownHost = berth("pull", "--store", storeDir.toString(), "no-such-host.invalid/app:1");
    assertThat(unknownHost.status()).isEqualTo(ExitCodes.FAILED);
    assertThat(unknownHost.err().strip()).isEqualTo("berth: error: unknown registry host no-such-host.invalid");

    Run missing = berth("push", "--store", storeDir.toString(), registry.host() + "/none/app:1");
    assertThat(missing.err()).contains("no image named " + registry.host() + "/none/app:1 in the store");

    Run noManifest = berth("inspect", registry.host() + "/none/app:1");
    assertThat(noManifest.err().strip()).isEqualTo("berth: error: manifest none/app:1 not found on " + registry.host());

    assertThat(Files.exists(storeDir.resolve("blobs"))).isTrue();
  }
}
