package dev.berth.runtime;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.layer.LayerBlob;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import dev.berth.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many threads (and store instances, as separate processes would have) asking for one snapshot at once. */
@Tag("unit")
class SnapshotRaceTest {
  @TempDir Path temp;

  @Test
  void sixteenThreadsGetTheSameSnapshotWithoutFailing() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Descriptor manifest = TestImages.randomImage(store, "app:1", 3, Platform.LINUX_AMD64, 2_000_000);
    ImageManifest image = ImageManifest.parse(store.readBlob(manifest.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(image.config().digest()));
    LayerBlob layer = new LayerBlob(image.layers().get(0), config.rootfs().diffIds().get(0));

    for (int round = 0; round < 5; round++) {
      Path snapshots = store.root().resolve("berth-snapshots");
      ImageChecks.deleteTree(snapshots);
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(16);
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        ContentStore own = ContentStore.open(store.root());
        Callable<Path> unpack = () -> {
          start.await();
          return new SnapshotStore(own).snapshot(layer);
        };
        results.add(threads.submit(unpack));
      }
      start.countDown();
      for (Future<Path> result : results) {
        assertThat(result.get()).isDirectory();
      }
      threads.shutdown();
      try (var left = Files.list(snapshots)) {
        assertThat(left.map(p -> p.getFileName().toString())).as("no half-unpacked snapshot left")
            .noneMatch(name -> name.startsWith(SnapshotStore.TEMP_PREFIX));
      }
      assertThat(snapshots.resolve(SnapshotStore.relativePath(layer.diffId())).resolve("layer-0.bin")).hasSize(2_000_000);
    }
  }

  @Test
  void aSnapshotThatAnotherWriterPutInPlaceFirstIsUsed() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Descriptor manifest = TestImages.randomImage(store, "app:2", 4, Platform.LINUX_AMD64, 1_000);
    ImageManifest image = ImageManifest.parse(store.readBlob(manifest.digest()));
    Digest diffId = ImageConfig.parse(store.readBlob(image.config().digest())).rootfs().diffIds().get(0);
    Path theirs = Files.createDirectories(store.root().resolve("berth-snapshots")
        .resolve(SnapshotStore.relativePath(diffId)));
    Files.writeString(theirs.resolve("theirs"), "x");

    Path ours = new SnapshotStore(store).snapshot(new LayerBlob(image.layers().get(0), diffId));

    assertThat(ours).isEqualTo(theirs);
    assertThat(ours.resolve("theirs")).exists();
  }
}
