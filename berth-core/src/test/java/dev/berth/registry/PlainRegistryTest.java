package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull against a real plain-HTTP registry on loopback. */
@Tag("registry")
class PlainRegistryTest {
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

  private RegistryClient client() throws IOException {
    return RegistryClient.builder().host(registry.host()).build();
  }

  private ImageReference ref(String repositoryAndTag) {
    return ImageReference.parse(registry.host() + "/" + repositoryAndTag);
  }

  @Test
  void pushThenPullRoundTripsEveryBlob() throws Exception {
    ContentStore source = ContentStore.open(temp.resolve("source"));
    Descriptor image = TestImages.randomImage(source, "app:1", 1, Platform.LINUX_AMD64, 100_000, 200_000, 5_000);
    RegistryClient client = client();

    PushResult first = client.push(source, image, ref("team/app:1"));
    assertThat(first.uploaded()).hasSize(4);
    assertThat(first.skipped()).isEmpty();
    assertThat(client.headManifest("team/app", "1")).map(Descriptor::digest).contains(image.digest());

    ContentStore target = ContentStore.open(temp.resolve("target"));
    PullResult pulled = client.pull(ref("team/app:1"), Platform.LINUX_AMD64, target);
    assertThat(pulled.pulled().digest()).isEqualTo(image.digest());
    assertThat(pulled.downloaded()).hasSize(4);
    for (Digest digest : source.reachableFrom(image)) {
      assertThat(target.readBlob(digest)).isEqualTo(source.readBlob(digest));
    }

    PullResult again = client.pull(ref("team/app:1"), Platform.LINUX_AMD64, target);
    assertThat(again.downloaded()).isEmpty();
    assertThat(again.skipped()).hasSize(4);
  }

  @Test
  void secondPushOfAnUnchangedImageSendsNothing() throws Exception {
    ContentStore source = ContentStore.open(temp.resolve("source"));
    Descriptor image = TestImages.randomImage(source, "app:2", 2, Platform.LINUX_AMD64, 50_000, 60_000);
    client().push(source, image, ref("again/app:2"));

    PushResult second = client().push(source, image, ref("again/app:2"));
    assertThat(second.upToDate()).isTrue();
    assertThat(second.uploaded()).isEmpty();

    PushResult otherTag = client().push(source, image, ref("again/app:other"));
    assertThat(otherTag.upToDate()).isFalse();
    assertThat(otherTag.uploaded()).isEmpty();
    assertThat(otherTag.skipped()).hasSize(3);
  }

  @Test
  void blobsSeenInAnotherRepositoryAreMounted() throws Exception {
    ContentStore source = ContentStore.open(temp.resolve("source"));
    Descriptor image = TestImages.randomImage(source, "app:3", 3, Platform.LINUX_AMD64, 70_000);
    RegistryClient client = client();
    client.push(source, image, ref("mount/source:3"));

    PushResult mounted = client.push(source, image, ref("mount/target:3"));
    assertThat(mounted.mounted()).hasSize(2);
    assertThat(mounted.uploaded()).isEmpty();
    assertThat(client.hasBlob("mount/target", image.digest())).isFalse();
    ImageManifest manifest = ImageManifest.parse(source.readBlob(image.digest()));
    assertThat(client.hasBlob("mount/target", manifest.layers().get(0).digest())).isTrue();
  }

  @Test
  void largeBlobsGoInChunksAndSmallOnesInOnePut() throws Exception {
    ContentStore source = ContentStore.open(temp.resolve("source"));
    Descriptor image = TestImages.randomImage(source, "app:4", 4, Platform.LINUX_AMD64, 3_000_000, 1_000);
    RegistryClient client = RegistryClient.builder().host(registry.host()).uploadSizes(100_000, 700_000).build();

    PushResult result = client.push(source, image, ref("chunked/app:4"));
    assertThat(result.uploaded()).hasSize(3);
    ContentStore target = ContentStore.open(temp.resolve("target"));
    client.pull(ref("chunked/app:4"), null, target);
    assertThat(target.fsck().clean()).isTrue();
    assertThat(target.hasBlob(image.digest())).isTrue();
  }

  @Test
  void indexPushAndPlatformSelection() throws Exception {
    ContentStore source = ContentStore.open(temp.resolve("source"));
    Platform arm = new Platform("linux", "arm64", "v8");  // as indexes in the wild write it (parse drops v8)
    Descriptor amd = TestImages.randomImage(source, null, 5, Platform.LINUX_AMD64, 10_000).withPlatform(Platform.LINUX_AMD64);
    Descriptor armImage = TestImages.randomImage(source, null, 6, arm, 12_000).withPlatform(arm);
    Descriptor index = TestImages.index(source, "multi:1", List.of(amd, armImage));
    RegistryClient client = client();

    PushResult pushed = client.push(source, index, ref("multi/app:1"));
    assertThat(pushed.uploaded()).hasSize(4);
    assertThat(client.headManifest("multi/app", "1").orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_INDEX);

    ContentStore armStore = ContentStore.open(temp.resolve("arm"));
    PullResult arm64 = client.pull(ref("multi/app:1"), Platform.parse("linux/arm64"), armStore);
    assertThat(arm64.pulled().digest()).isEqualTo(armImage.digest());
    assertThat(armStore.hasBlob(amd.digest())).isFalse();

    ContentStore all = ContentStore.open(temp.resolve("all"));
    PullResult everything = client.pull(ref("multi/app:1"), null, all);
    assertThat(everything.pulled().digest()).isEqualTo(index.digest());
    all.tag("multi:1", everything.pulled());
    assertThat(all.fsck().clean()).isTrue();

    assertThatThrownBy(() -> client.pull(ref("multi/app:1"), Platform.parse("linux/s390x"), all))
        .hasMessageContaining("has no image for linux/s390x").hasMessageContaining("linux/arm64/v8");
  }

  @Test
  void aManifestNamingABlobMissingFromTheStoreIsRefusedBeforeAnythingIsPublished() throws Exception {
    ContentStore source = ContentStore.open(temp.resolve("source"));
    Descriptor image = TestImages.randomImage(source, "app:7", 7, Platform.LINUX_AMD64, 10_000);
    Digest layer = ImageManifest.parse(source.readBlob(image.digest())).layers().get(0).digest();
    Files.delete(source.blobPath(layer));

    assertThatThrownBy(() -> client().push(source, image, ref("missing/app:7")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("blob " + layer + " named by manifest " + image.digest() + " is not in the store");
    assertThat(client().headManifest("missing/app", "7")).isEmpty();
  }

  @Test
  void unknownManifestsAndHostsGiveClearErrors() throws Exception {
    assertThatThrownBy(() -> client().getManifest("nothing/here", "1"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("manifest nothing/here:1 not found on " + registry.host());
    RegistryClient unknown = RegistryClient.builder().host("no-such-host.invalid").retryPolicy(RetryPolicy.NONE).build();
    assertThatThrownBy(() -> unknown.getManifest("a", "b"))
        .isInstanceOf(RegistryException.class)
        .hasMessage("unknown registry host no-such-host.invalid");
  }

  @Test
  void closingTheClientStopsItsSelectorThread() throws Exception {
    List<Thread> before = selectorThreads();
    RegistryClient client = client();
    assertThat(client.hasBlob("team/none", Digest.parse("sha256:" + "0".repeat(64)))).isFalse();
    List<Thread> started = selectorThreads();
    started.removeAll(before);
    assertThat(started).hasSize(1);

    client.close();

    assertThat(started.get(0).isAlive()).isFalse();
  }

  private static List<Thread> selectorThreads() {
    List<Thread> out = new java.util.ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("HttpClient-") && thread.getName().endsWith("-SelectorManager")) {
        out.add(thread);
      }
    }
    return out;
  }
}
