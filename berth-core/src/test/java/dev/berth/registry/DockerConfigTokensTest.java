package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import dev.berth.testing.TokenIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json's {@code identitytoken} (an OAuth2 refresh token, POSTed to the token service) and
 * {@code registrytoken} (sent as the bearer token itself), against a token-auth registry.
 */
@Tag("registry")
class DockerConfigTokensTest {
  @TempDir Path temp;

  private Optional<Credentials> fromConfig(String host, String entry) throws Exception {
    Path config = temp.resolve("config.json");
    Files.writeString(config, "{\"auths\": {\"" + host + "\": " + entry + "}}");
    return new DockerCredentials(config, name -> Optional.empty()).lookup(host);
  }

  @Test
  void anIdentityTokenIsExchangedForAccessTokensAndAWrongOneIsRefused() throws Exception {
    try (TokenIssuer issuer = TokenIssuer.start("user", "password-never-used", 300).acceptingRefreshToken("refresh-abc");
         LocalRegistry registry = LocalRegistry.startTokenAuth(issuer)) {
      Optional<Credentials> credentials = fromConfig(registry.host(),
          "{\"auth\": \"" + java.util.Base64.getEncoder().encodeToString("someone:".getBytes()) + "\", "
              + "\"identitytoken\": \"refresh-abc\"}");
      assertThat(credentials).isPresent();
      assertThat(credentials.get().kind()).isEqualTo(Credentials.Kind.IDENTITY_TOKEN);
      assertThat(credentials.get().username()).isEqualTo("someone");
      assertThat(credentials.get().toString()).doesNotContain("refresh-abc");

      ContentStore store = ContentStore.open(temp.resolve("store"));
      Descriptor image = TestImages.randomImage(store, "app:1", 3, Platform.LINUX_AMD64, 5_000);
      RegistryClient client = RegistryClient.builder().host(registry.host()).credentials(credentials)
          .proxies(RegistryProxies.NONE).build();
      assertThat(client.push(store, image, ImageReference.parse(registry.host() + "/tok/app:1")).uploaded()).hasSize(2);
      assertThat(issuer.requestedScopes()).contains("repository:tok/app:pull,push");

      RegistryClient wrong = RegistryClient.builder().host(registry.host())
          .credentials(Optional.of(Credentials.identityToken("someone", "refresh-wrong"))).proxies(RegistryProxies.NONE).build();
      assertThatThrownBy(() -> wrong.getManifest("tok/app", "1"))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageNotContaining("refresh-wrong");
    }
  }

  @Test
  void aRegistryTokenIsSentAsItIsWithoutAskingTheTokenService() throws Exception {
    try (TokenIssuer issuer = TokenIssuer.start("user", "password", 300);
         LocalRegistry registry = LocalRegistry.startTokenAuth(issuer)) {
      String token = issuer.tokenFor("repository:tok/app:pull,push");
      Optional<Credentials> credentials = fromConfig(registry.host(), "{\"registrytoken\": \"" + token + "\"}");
      assertThat(credentials.get().kind()).isEqualTo(Credentials.Kind.REGISTRY_TOKEN);

      ContentStore store = ContentStore.open(temp.resolve("store"));
      Descriptor image = TestImages.randomImage(store, "app:1", 4, Platform.LINUX_AMD64, 5_000);
      RegistryClient client = RegistryClient.builder().host(registry.host()).credentials(credentials)
          .proxies(RegistryProxies.NONE).build();
      int before = issuer.issued();
      client.push(store, image, ImageReference.parse(registry.host() + "/tok/app:1"));
      assertThat(client.getManifest("tok/app", "1")).isNotNull();
      assertThat(issuer.issued()).as("no token fetched").isEqualTo(before);

      RegistryClient outOfScope = RegistryClient.builder().host(registry.host()).credentials(credentials)
          .proxies(RegistryProxies.NONE).build();
      assertThatThrownBy(() -> outOfScope.getManifest("other/app", "1")).isInstanceOf(RegistryException.class);
    }
  }
}
