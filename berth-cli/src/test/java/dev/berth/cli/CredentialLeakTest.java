package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A known password must never appear in anything berth prints, even with --debug stack traces. */
@Tag("registry")
class CredentialLeakTest {
  private static final String USER = "leaktest";
  private static final String PASSWORD = "Zq7-never-print-this-9xK";

  @TempDir Path temp;

  @Test
  void thePasswordAppearsNowhere() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startBasicAuthTls(USER, PASSWORD)) {
      Path storeDir = temp.resolve("store");
      TestImages.randomImage(ContentStore.open(storeDir), "leak/app:1", 41, Platform.LINUX_AMD64, 30_000);
      String target = registry.host() + "/leak/app:1";
      String certDir = registry.caDirectory().toString();
      List<RegistryCommandsTest.Run> runs = new ArrayList<>();

      RegistryCommandsTest.Run good = RegistryCommandsTest.berth("push", "--debug", "--store", storeDir.toString(),
          "--cert-dir", certDir, "--creds", USER + ":" + PASSWORD, target);
      assertThat(good.status()).as(good.err()).isZero();
      runs.add(good);

      RegistryCommandsTest.Run wrong = RegistryCommandsTest.berth("push", "--debug", "--store", storeDir.toString(),
          "--cert-dir", certDir, "--creds", USER + ":x" + PASSWORD, target);
      assertThat(wrong.status()).isEqualTo(ExitCodes.FAILED);
      assertThat(wrong.err()).startsWith("berth: error: authentication failed for " + registry.host());
      runs.add(wrong);

      RegistryCommandsTest.Run untrusted = RegistryCommandsTest.berth("pull", "--debug", "--store",
          storeDir.toString(), "--creds", USER + ":" + PASSWORD, target);
      assertThat(untrusted.status()).isEqualTo(ExitCodes.FAILED);
      runs.add(untrusted);

      RegistryCommandsTest.Run inspect = RegistryCommandsTest.berth("inspect", "--debug", "--cert-dir", certDir,
          "--creds", USER + ":" + PASSWORD, target);
      assertThat(inspect.status()).as(inspect.err()).isZero();
      runs.add(inspect);

      String basic = java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
      for (RegistryCommandsTest.Run run : runs) {
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD).doesNotContain(basic);
      }
    }
  }
}
