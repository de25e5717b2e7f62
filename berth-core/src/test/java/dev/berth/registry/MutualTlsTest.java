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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS with docker's certs.d client certificates ({@code client.cert}, {@code client.key}) against a real registry. */
@Tag("registry")
@Tag("skopeo")
class MutualTlsTest {
  @TempDir Path temp;

  @Test
  void theClientCertificateOfCertsDIsPresentedAndWithoutItTheRegistryRefuses() throws Exception {
    Path certsD = temp.resolve("certs.d");
    Path client = temp.resolve("client");
    try (LocalRegistry registry = LocalRegistry.startMutualTls(client)) {
      Files.createDirectories(certsD);
      Path hostDirectory = Files.createDirectories(certsD.resolve(registry.host()));
      for (String file : List.of("ca.crt", "client.cert", "client.key")) {
        Files.copy(client.resolve(file), hostDirectory.resolve(file));
      }
      ContentStore store = ContentStore.open(temp.resolve("store"));
      Descriptor image = TestImages.randomImage(store, "app:1", 7, Platform.LINUX_AMD64, 10_000);
      ImageReference target = ImageReference.parse(registry.host() + "/mtls/app:1");

      RegistryClient withCertificate = RegistryClient.builder().host(registry.host()).certsDRoots(List.of(certsD))
          .proxies(RegistryProxies.NONE).build();
      assertThat(withCertificate.push(store, image, target).uploaded()).hasSize(2);
      ExternalTools.Result inspect = ExternalTools.runOrFail("skopeo", "inspect", "--raw",
          "--cert-dir", hostDirectory.toString(), "docker://" + target);
      assertThat(inspect.stdout().trim().getBytes()).isEqualTo(store.readBlob(image.digest()));

      Path caOnly = Files.createDirectories(temp.resolve("ca-only"));
      Files.copy(client.resolve("ca.crt"), caOnly.resolve("ca.crt"));
      RegistryClient without = RegistryClient.builder().host(registry.host()).certDir(caOnly).certsDRoots(List.of())
          .proxies(RegistryProxies.NONE).build();
      assertThatThrownBy(() -> without.getManifest("mtls/app", "1"))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining(registry.host());

      Files.delete(hostDirectory.resolve("client.key"));
      assertThatThrownBy(() -> RegistryClient.builder().host(registry.host()).certsDRoots(List.of(certsD)).build())
          .hasMessage("client certificate " + hostDirectory.resolve("client.cert") + " has no key client.key");
    }
  }
}
