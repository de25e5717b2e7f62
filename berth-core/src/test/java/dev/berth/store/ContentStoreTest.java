package dev.berth.store;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.MediaTypes;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ContentStoreTest {
  @TempDir Path dir;

  @Test
  void createsAnOciLayout() throws Exception {
    ContentStore.open(dir);
    assertThat(Files.readString(dir.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
    assertThat(Files.readString(dir.resolve("index.json"))).contains("\"schemaVersion\":2");
  }

  @Test
  void writesBlobsUnderTheirDigest() throws Exception {
    ContentStore store = ContentStore.open(dir);
    byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);
    Digest digest = store.writeBlob(new ByteArrayInputStream(content), Digest.sha256(content));
    assertThat(store.hasBlob(digest)).isTrue();
    assertThat(store.readBlob(digest)).isEqualTo(content);
    assertThat(store.blobPath(digest)).isEqualTo(dir.resolve("blobs/sha256/" + digest.hex()));
  }

  @Test
  void aWrongDigestStoresNothing() throws Exception {
    ContentStore store = ContentStore.open(dir);
    byte[] content = "tampered".getBytes(StandardCharsets.UTF_8);
    Digest claimed = Digest.sha256("original".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> store.writeBlob(new ByteArrayInputStream(content), claimed))
        .isInstanceOf(InvalidContentException.class)
        .hasMessageContaining("expected " + claimed);
    assertThat(store.allBlobs()).isEmpty();
    try (var temps = Files.list(store.tempDirectory())) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void anAbandonedSinkLeavesNothing() throws Exception {
    ContentStore store = ContentStore.open(dir);
    try (BlobSink sink = store.newBlob()) {
      sink.write(new byte[1000]);
    }
    assertThat(store.allBlobs()).isEmpty();
    try (var temps = Files.list(store.tempDirectory())) {
      assertThat(temps).isEmpty();
    }
  }

  @Test
  void tagsResolveAndMoveAndGcKeepsWhatIsNamed() throws Exception {
    ContentStore store = ContentStore.open(dir);
    Descriptor first = image(store, "one");
    Descriptor second = image(store, "two");
    store.tag("web:1", first);
    assertThat(store.resolve("web:1")).map(Descriptor::digest).contains(first.digest());
    store.tag("web:1", second);
    assertThat(store.resolve("web:1")).map(Descriptor::digest).contains(second.digest());
    assertThat(store.references()).hasSize(1);

    ContentStore.GcReport report = store.gc();
    assertThat(report.removed()).contains(first.digest());
    assertThat(store.hasBlob(second.digest())).isTrue();
    assertThat(store.fsck().clean()).isTrue();
  }

  @Test
  void fsckFindsCorruptAndMissingBlobs() throws Exception {
    ContentStore store = ContentStore.open(dir);
    Descriptor manifest = image(store, "x");
    store.tag("x:1", manifest);
    ImageManifest parsed = ImageManifest.parse(store.readBlob(manifest.digest()));
    Digest layer = parsed.layers().get(0).digest();
    Files.writeString(store.blobPath(layer), "flipped");
    Files.delete(store.blobPath(parsed.config().digest()));

    ContentStore.FsckReport report = store.fsck();
    assertThat(report.clean()).isFalse();
    assertThat(report.corrupt()).containsExactly(layer);
    assertThat(report.missing()).extracting(ContentStore.FsckReport.Missing::digest)
        .containsExactly(parsed.config().digest());
  }

  @Test
  void gcRefusesWhileAnotherProcessHoldsALease() throws Exception {
    ContentStore store = ContentStore.open(dir);
    Process holder = new ProcessBuilder(javaCommand(LeaseHolder.class.getName(), dir.toString()))
        .redirectErrorStream(true).start();
    try {
      assertThat(new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("ready");
      assertThatThrownBy(store::gc).isInstanceOf(ContentStore.StoreBusyException.class);
    } finally {
      holder.destroy();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
    store.gc();
  }

  @Test
  void concurrentTaggingFromThreadsAndProcessesLosesNoName() throws Exception {
    ContentStore store = ContentStore.open(dir);
    Descriptor manifest = image(store, "shared");
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      processes.add(new ProcessBuilder(javaCommand(TagWorker.class.getName(), dir.toString(), "proc" + p,
          manifest.digest().toString(), String.valueOf(manifest.size()))).inheritIO().start());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        ContentStore own = ContentStore.open(dir);
        for (int i = 0; i < 25; i++) {
          own.tag("thread" + thread + ":" + i, manifest);
        }
        return null;
      }));
    }
    for (Future<?> future : futures) {
      future.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    for (Process process : processes) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    }
    assertThat(store.references()).hasSize(4 * 25 + 2 * 25);
  }

  static List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    return command;
  }

  /** Writes a small image (config + one layer blob) and returns its manifest descriptor. */
  static Descriptor image(ContentStore store, String seed) throws Exception {
    Descriptor layer = store.writeBlob(MediaTypes.OCI_LAYER_TAR, ("layer " + seed).getBytes(StandardCharsets.UTF_8));
    Descriptor config = store.writeBlob(MediaTypes.OCI_CONFIG,
        ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"seed\":\"" + seed + "\"}").getBytes(StandardCharsets.UTF_8));
    return store.writeBlob(MediaTypes.OCI_MANIFEST, ImageManifest.oci(config, List.of(layer)).toJson());
  }

  /** Tags 25 names from a separate process. */
  public static final class TagWorker {
    public static void main(String[] args) throws Exception {
      ContentStore store = ContentStore.open(Path.of(args[0]));
      Descriptor manifest = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(args[2]), Long.parseLong(args[3]));
      for (int i = 0; i < 25; i++) {
        store.tag(args[1] + ":" + i, manifest);
      }
    }
  }

  /** Holds a lease until killed. */
  public static final class LeaseHolder {
    public static void main(String[] args) throws Exception {
      try (ContentStore.Lease lease = ContentStore.open(Path.of(args[0])).lease()) {
        System.out.print("ready");
        System.out.flush();
        Thread.sleep(60_000);
      }
    }
  }
}
