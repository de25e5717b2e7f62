package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.FaultProxy.Fault;
import dev.berth.testing.LocalRegistry;
import dev.berth.testing.TestImages;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfers through a fault-injecting proxy still complete, with the right digests. */
@Tag("registry")
class FaultInjectionTest {
  private static final RetryPolicy FAST_RETRIES = new RetryPolicy(8, Duration.ofMillis(20), Duration.ofSeconds(2));
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

  private RegistryClient through(FaultProxy proxy) throws Exception {
    return RegistryClient.builder().host(proxy.host()).retryPolicy(FAST_RETRIES)
        .requestTimeout(Duration.ofSeconds(1)).uploadSizes(400_000, 300_000).parallelism(2).build();
  }

  @Test
  void pushSurvivesResetsServerErrorsRateLimitsAndStalls() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Descriptor image = TestImages.randomImage(store, "app:1", 21, Platform.LINUX_AMD64, 1_500_000, 350_000, 2_000);
    List<Fault> faults = List.of(new Fault.Answer(503, 0), new Fault.Answer(503, 0), new Fault.Answer(429, 1),
        new Fault.Stall(Duration.ofMillis(1_500)), new Fault.ResetUpload(200_000), new Fault.ResetUpload(500_000));
    try (FaultProxy proxy = FaultProxy.start(registry.port(), Duration.ofSeconds(60), faults)) {
      long start = System.nanoTime();
      java.util.Queue<BlobTransfer> reports = new java.util.concurrent.ConcurrentLinkedQueue<>();
      PushResult result = through(proxy).push(store, image, ImageReference.parse(proxy.host() + "/faults/app:1"),
          reports::add);
      assertEachRisesToItsSize(reports, store, result.uploaded());
      assertThat(proxy.pending()).as("every fault was hit").isZero();
      assertThat(proxy.injected()).isEqualTo(faults.size());
      assertThat(result.uploaded()).hasSize(4);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("Retry-After: 1 was honoured")
          .isGreaterThan(Duration.ofSeconds(1));
    }
    RegistryClient direct = RegistryClient.builder().host(registry.host()).build();
    ContentStore copy = ContentStore.open(temp.resolve("copy"));
    PullResult pulled = direct.pull(ImageReference.parse(registry.host() + "/faults/app:1"), Platform.LINUX_AMD64, copy);
    assertThat(pulled.pulled().digest()).isEqualTo(image.digest());
    for (Digest digest : store.reachableFrom(image)) {
      assertThat(copy.hasBlob(digest)).isTrue();
    }
  }

  @Test
  void pullSurvivesResetsMidBlob() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Descriptor image = TestImages.randomImage(store, "app:2", 22, Platform.LINUX_AMD64, 1_000_000, 800_000);
    RegistryClient.builder().host(registry.host()).build()
        .push(store, image, ImageReference.parse(registry.host() + "/faults/pull:2"));
    List<Fault> faults = List.of(new Fault.ResetDownload(300_000), new Fault.Answer(503, 0),
        new Fault.ResetDownload(600_000));
    try (FaultProxy proxy = FaultProxy.start(registry.port(), Duration.ofSeconds(60), faults)) {
      ContentStore target = ContentStore.open(temp.resolve("target"));
      java.util.Queue<BlobTransfer> reports = new java.util.concurrent.ConcurrentLinkedQueue<>();
      PullResult pulled = through(proxy).pull(ImageReference.parse(proxy.host() + "/faults/pull:2"),
          Platform.LINUX_AMD64, target, reports::add);
      assertThat(proxy.pending()).isZero();
      Digest config = dev.berth.oci.ImageManifest.parse(store.readBlob(image.digest())).config().digest();
      assertEachRisesToItsSize(reports, store, pulled.downloaded().stream()
          .filter(digest -> !digest.equals(config)).toList());  // a config is read into memory, unreported
      assertThat(pulled.downloaded()).hasSize(3);
      target.tag("pulled:2", pulled.pulled());
      assertThat(target.fsck().clean()).isTrue();
    }
  }

  /** An image with one 1 MB layer, pushed straight to the registry as faults/NAME_TAG. */
  /**
   * Retries and resumed chunks never make a blob's reports go back: each of {@code blobs} has reports
   * rising strictly from 0 to its size in the store, and no other blob has any.
   */
  private static void assertEachRisesToItsSize(java.util.Collection<BlobTransfer> reports, ContentStore store,
      List<Digest> blobs) throws Exception {
    java.util.Map<Digest, List<Long>> byBlob = new java.util.LinkedHashMap<>();
    for (BlobTransfer report : reports) {
      byBlob.computeIfAbsent(report.digest(), digest -> new java.util.ArrayList<>()).add(report.bytes());
    }
    assertThat(byBlob.keySet()).containsExactlyInAnyOrderElementsOf(blobs);
    for (Digest blob : blobs) {
      List<Long> bytes = byBlob.get(blob);
      assertThat(bytes).as("reports of %s", blob).first().isEqualTo(0L);
      assertThat(bytes).as("reports of %s", blob).last().isEqualTo(store.blobSize(blob));
      assertThat(bytes).as("reports of %s", blob).isSorted().doesNotHaveDuplicates();
    }
  }

  private void pushOneMegabyteImage(String nameTag, long seed) throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("source-" + seed));
    Descriptor image = TestImages.randomImage(store, "app:1", seed, Platform.LINUX_AMD64, 1_000_000);
    RegistryClient.builder().host(registry.host()).build()
        .push(store, image, ImageReference.parse(registry.host() + "/faults/" + nameTag));
  }

  @Test
  void aDownloadThatStallsMidBodyIsRetriedAfterTheTimeout() throws Exception {
    pushOneMegabyteImage("stall:4", 24);
    List<Fault> faults = List.of(new Fault.StallDownload(300_000, Duration.ofSeconds(20)));
    try (FaultProxy proxy = FaultProxy.start(registry.port(), Duration.ofSeconds(60), faults)) {
      ContentStore target = ContentStore.open(temp.resolve("target"));
      long start = System.nanoTime();
      PullResult pulled = through(proxy).pull(ImageReference.parse(proxy.host() + "/faults/stall:4"),
          Platform.LINUX_AMD64, target);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(proxy.injected()).as("the body stalled once").isEqualTo(1);
      assertThat(took).as("the 20 s stall was cut short (1 s request timeout)").isLessThan(Duration.ofSeconds(6));
      target.tag("pulled:4", pulled.pulled());
      assertThat(target.fsck().clean()).isTrue();
      assertThat(target.root().resolve(".berth-tmp")).isEmptyDirectory();
    }
  }

  @Test
  void aDownloadThatStallsEveryTimeFailsAfterItsRetries() throws Exception {
    pushOneMegabyteImage("stall:5", 25);
    RetryPolicy twoTries = new RetryPolicy(2, Duration.ofMillis(20), Duration.ofMillis(20));
    List<Fault> faults = List.of(new Fault.StallDownload(300_000, Duration.ofSeconds(20)),
        new Fault.StallDownload(300_000, Duration.ofSeconds(20)));
    try (FaultProxy proxy = FaultProxy.start(registry.port(), Duration.ofSeconds(60), faults)) {
      ContentStore target = ContentStore.open(temp.resolve("target"));
      RegistryClient client = RegistryClient.builder().host(proxy.host()).retryPolicy(twoTries)
          .requestTimeout(Duration.ofSeconds(1)).build();
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.pull(ImageReference.parse(proxy.host() + "/faults/stall:5"),
          Platform.LINUX_AMD64, target))
          .isInstanceOf(RegistryException.class)
          .hasMessageContaining("stopped sending in the middle of a response");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(target.root().resolve(".berth-tmp")).isEmptyDirectory();
    }
  }

  @Test
  void aBlobServedWithTheWrongContentIsRefusedAndNotStored() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Descriptor image = TestImages.randomImage(store, "app:3", 23, Platform.LINUX_AMD64, 100_000);
    RegistryClient client = RegistryClient.builder().host(registry.host()).retryPolicy(FAST_RETRIES).build();
    client.push(store, image, ImageReference.parse(registry.host() + "/faults/corrupt:3"));
    Digest layer = ImageManifest.parse(store.readBlob(image.digest())).layers().get(0).digest();
    try (RandomAccessFile data = new RandomAccessFile(registry.blobData(layer).toFile(), "rw")) {
      data.seek(5_000);
      int b = data.read();
      data.seek(5_000);
      data.write(b ^ 0xff);
    }

    ContentStore target = ContentStore.open(temp.resolve("target"));
    assertThatThrownBy(() -> client.pull(ImageReference.parse(registry.host() + "/faults/corrupt:3"),
        Platform.LINUX_AMD64, target))
        .isInstanceOf(InvalidContentException.class)
        .hasMessage("blob " + layer + " of faults/corrupt from " + registry.host()
            + " has the wrong digest; the blob was not stored");
    assertThat(target.hasBlob(layer)).isFalse();
    try (var blobs = java.nio.file.Files.walk(target.root().resolve("blobs"))) {
      assertThat(blobs.filter(java.nio.file.Files::isRegularFile)).as("no config or layer blob left").isEmpty();
    }
    assertThat(target.hasBlob(image.digest())).isFalse();
    assertThat(target.root().resolve(".berth-tmp")).isEmptyDirectory();
  }
}
