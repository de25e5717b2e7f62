package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth copy --src-creds --dest-creds} between two registries with different users, as skopeo copy takes them. */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
class CopyCredentialsIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path work;

  @Test
  void eachSideUsesItsOwnCredentialsAndCredsStillServesOneRegistry() throws Exception {
    Berth berth = new Berth(work.resolve("store"), Map.of("DOCKER_CONFIG", work.resolve("no-docker-config").toString()));
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "base:1").succeeded();
    try (LocalRegistry source = LocalRegistry.startBasicAuthTls("reader", "source-pass");
        LocalRegistry destination = LocalRegistry.startBasicAuthTls("writer", "dest-pass")) {
      Path cas = Files.createDirectories(work.resolve("cas"));
      Files.copy(source.caDirectory().resolve("ca.crt"), cas.resolve("source.crt"));
      Files.copy(destination.caDirectory().resolve("ca.crt"), cas.resolve("destination.crt"));
      String from = "docker://" + source.host() + "/app:1";
      String to = "docker://" + destination.host() + "/copied/app:1";
      berth.run("push", "base:1", from, "--creds", "reader:source-pass", "--cert-dir", cas.toString()).succeeded();

      berth.run("copy", from, to, "--creds", "reader:source-pass", "--cert-dir", cas.toString())
          .failedWithOneLine("authentication failed for " + destination.host());
      Berth.Result copied = berth.run("copy", from, to, "--src-creds", "reader:source-pass", "--dest-creds", "writer:dest-pass",
          "--cert-dir", cas.toString()).succeeded();
      assertThat(copied.stdout() + copied.stderr()).doesNotContain("source-pass").doesNotContain("dest-pass");
      String sourceDigest = Berth.tool(work, "skopeo", "inspect", "--format", "{{.Digest}}", "--creds", "reader:source-pass",
          "--cert-dir", cas.toString(), from).strip();
      String copiedDigest = Berth.tool(work, "skopeo", "inspect", "--format", "{{.Digest}}", "--creds", "writer:dest-pass",
          "--cert-dir", cas.toString(), to).strip();
      assertThat(copiedDigest).isEqualTo(sourceDigest).startsWith("sha256:");
      berth.run("copy", from, to.replace("app:1", "again:1"), "--src-creds", "writer:dest-pass", "--dest-creds",
          "writer:dest-pass", "--cert-dir", cas.toString()).failedWithOneLine("authentication failed for " + source.host());
    }
  }
}
