package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.oci.Referrer;
import dev.berth.oci.ReferrersIndex;
import dev.berth.store.ContentStore;
import dev.berth.store.StoreReferrers;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifacts about an image in a real docker-registry, which lacks the referrers API: the tag schema. */
@Tag("registry")
class ReferrersRegistryTest {
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

  @Test
  void artifactsGoUnderTheSubjectsTagAfterTheImageAndAreReadBack() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Descriptor image = TestImages.randomImage(store, "app:1", 1, Platform.LINUX_AMD64, 1_000, 2_000, 1);
    StoreReferrers referrers = new StoreReferrers(store);
    referrers.attach(image, "application/spdx+json", "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    referrers.attach(image, "application/vnd.in-toto+json", "{\"_type\":\"x\"}".getBytes(StandardCharsets.UTF_8), Map.of());
    ReferrersIndex index = referrers.list(image.digest());
    ImageReference target = ImageReference.parse(registry.host() + "/team/app:1");
    try (RegistryClient client = RegistryClient.builder().host(registry.host()).build()) {
      assertThatThrownBy(() -> client.pushReferrers(store, target, image.digest(), index))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not have that manifest yet");
      assertThat(client.headManifest("team/app", ReferrersIndex.tagFor(image.digest()))).isEmpty();

      client.push(store, image, target);
      client.pushReferrers(store, target, image.digest(), index);
      client.pushReferrers(store, target, image.digest(), index);  // again: nothing changes
      Descriptor tagged = client.headManifest("team/app", ReferrersIndex.tagFor(image.digest())).orElseThrow();
      assertThat(tagged.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
      ReferrersIndex remote = client.referrers("team/app", image.digest());
      assertThat(remote.manifests()).extracting(Referrer::artifactType)
          .containsExactlyInAnyOrder("application/spdx+json", "application/vnd.in-toto+json");
      Referrer sbom = remote.find("application/spdx+json").orElseThrow();
      assertThat(new String(client.readArtifact("team/app", image.digest(), sbom), StandardCharsets.UTF_8))
          .isEqualTo("{\"spdxVersion\":\"SPDX-2.3\"}");
      assertThat(client.referrers("team/app", sbom.digest()).manifests()).isEmpty();
    }
  }

  @Test
  void theStoreKeepsOneArtifactPerTypeAndForgetsThoseOfImagesItNoLongerNames() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store2"));
    Descriptor image = TestImages.randomImage(store, "app:1", 1, Platform.LINUX_AMD64, 1_000, 2_000, 2);
    StoreReferrers referrers = new StoreReferrers(store);
    referrers.attach(image, "application/spdx+json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Map.of());
    referrers.attach(image, "application/spdx+json", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(referrers.list(image.digest()).manifests()).hasSize(1);
    assertThat(referrers.document(image.digest(), "application/spdx+json")).hasValueSatisfying(
        bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"a\":2}"));

    ContentStore layout = ContentStore.open(temp.resolve("layout"));
    referrers.copyTo(StoreReferrers.ofLayout(layout), image.digest());
    assertThat(layout.resolve(ReferrersIndex.tagFor(image.digest()))).isPresent();

    assertThat(referrers.dropOrphans()).isEmpty();
    store.untag("app:1");
    assertThat(referrers.dropOrphans()).containsExactly("referrers:" + ReferrersIndex.tagFor(image.digest()));
    assertThat(referrers.list(image.digest()).manifests()).isEmpty();
  }
}
