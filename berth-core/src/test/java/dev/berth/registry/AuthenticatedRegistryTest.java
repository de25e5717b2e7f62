package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.ExternalTools;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import dev.berth.testing.TokenIssuer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth over TLS with a test CA, and the bearer token flow, against real registries. */
@Tag("registry")
@Tag("skopeo")
class AuthenticatedRegistryTest {
  private static final String USER = "berth";
  private static final String PASSWORD = "s3cret-Pa55-xyz";

  @TempDir Path temp;

  @Test
  void basicAuthOverTlsWithTheTestCa() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startBasicAuthTls(USER, PASSWORD)) {
      ContentStore store = ContentStore.open(temp.resolve("store"));
      Descriptor image = TestImages.randomImage(store, "app:1", 11, Platform.LINUX_AMD64, 20_000);
      ImageReference target = ImageReference.parse(registry.host() + "/secure/app:1");

      RegistryClient client = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, PASSWORD)).certDir(registry.caDirectory()).build();
      assertThat(client.push(store, image, target).uploaded()).hasSize(2);

      ExternalTools.Result inspect = ExternalTools.runOrFail("skopeo", "inspect", "--raw",
          "--cert-dir", registry.caDirectory().toString(), "--creds", USER + ":" + PASSWORD, "docker://" + target);
      assertThat(inspect.stdout().trim().getBytes()).isEqualTo(store.readBlob(image.digest()));

      RegistryClient wrongPassword = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, "wrong-" + PASSWORD)).certDir(registry.caDirectory()).build();
      assertThatThrownBy(() -> wrongPassword.getManifest("secure/app", "1"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageStartingWith("authentication failed for " + registry.host())
          .hasMessageNotContaining(PASSWORD);

      RegistryClient anonymous = RegistryClient.builder().host(registry.host()).certDir(registry.caDirectory()).build();
      assertThatThrownBy(() -> anonymous.getManifest("secure/app", "1"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("requires credentials");

      RegistryClient untrusted = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, PASSWORD)).certsDRoots(List.of()).build();
      assertThatThrownBy(() -> untrusted.getManifest("secure/app", "1"))
          .isInstanceOf(RegistryException.class)
          .hasMessageStartingWith("TLS connection to " + registry.host() + " failed")
          .hasMessageNotContaining(PASSWORD);
    }
  }

  @Test
  void certsDConventionSuppliesTheCa() throws Exception {
    try (LocalRegistry registry = LocalRegistry.startBasicAuthTls(USER, PASSWORD)) {
      Path certsD = temp.resolve("certs.d");
      java.nio.file.Files.createDirectories(certsD.resolve(registry.host()));
      java.nio.file.Files.copy(registry.caDirectory().resolve("ca.crt"), certsD.resolve(registry.host()).resolve("ca.crt"));
      RegistryClient client = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, PASSWORD)).certsDRoots(List.of(certsD)).build();
      assertThat(client.headManifest("nothing/here", "1")).isEmpty();
    }
  }

  @Test
  void bearerTokensAreFetchedPerScopeCachedAndRefusedWithoutTheRightPassword() throws Exception {
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, 300);
         LocalRegistry registry = LocalRegistry.startTokenAuth(issuer)) {
      ContentStore store = ContentStore.open(temp.resolve("store"));
      Descriptor image = TestImages.randomImage(store, "app:1", 12, Platform.LINUX_AMD64, 30_000, 40_000);
      RegistryClient client = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, PASSWORD)).build();

      PushResult pushed = client.push(store, image, ImageReference.parse(registry.host() + "/tok/app:1"));
      assertThat(pushed.uploaded()).hasSize(3);
      int afterPush = issuer.issued();
      assertThat(issuer.requestedScopes())
          .as("one token for the manifest HEAD, one for the uploads")
          .containsExactlyInAnyOrder("repository:tok/app:pull", "repository:tok/app:pull,push");

      ContentStore target = ContentStore.open(temp.resolve("target"));
      client.pull(ImageReference.parse(registry.host() + "/tok/app:1"), Platform.LINUX_AMD64, target);
      assertThat(target.hasBlob(image.digest())).isTrue();
      assertThat(issuer.issued()).as("the pull reuses the cached pull token").isEqualTo(afterPush);

      PushResult mounted = client.push(store, image, ImageReference.parse(registry.host() + "/tok/other:1"));
      assertThat(mounted.mounted()).as(mounted.toString()).hasSize(3);
      assertThat(issuer.requestedScopes()).as("a mount token also covers pulling from the source")
          .containsSubsequence("repository:tok/app:pull", "repository:tok/other:pull,push");

      RegistryClient wrong = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, "nope")).build();
      assertThatThrownBy(() -> wrong.getManifest("tok/app", "1"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessage("authentication failed for " + registry.host() + ": the token service refused the credentials");
    }
  }

  @Test
  void anExpiredTokenIsRefreshed() throws Exception {
    try (TokenIssuer issuer = TokenIssuer.start(USER, PASSWORD, 6);
         LocalRegistry registry = LocalRegistry.startTokenAuth(issuer)) {
      RegistryClient client = RegistryClient.builder().host(registry.host())
          .credentials(new Credentials(USER, PASSWORD)).build();
      assertThat(client.headManifest("tok/app", "1")).isEmpty();
      int first = issuer.issued();
      Thread.sleep(1_500);
      assertThat(client.headManifest("tok/app", "1")).isEmpty();
      assertThat(issuer.issued()).as("6 s tokens are renewed 5 s before they expire").isEqualTo(first + 1);
    }
  }
}
