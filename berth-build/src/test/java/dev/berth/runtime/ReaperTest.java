package dev.berth.runtime;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the reaper removes and, above all, what it leaves alone. */
@Tag("unit")
class ReaperTest {
  @TempDir Path store;

  /** A process ID that no process has here (the kernel's maximum is lower). */
  private static final long DEAD = 4_999_999;

  @Test
  void removesWhatDeadProcessesLeftAndNothingOfALiveOne() throws Exception {
    try (RunDirectory live = RunDirectory.open(store, "runc");
         RunDirectory.Work step = live.newWork("step")) {
      Path runs = store.resolve("berth-run");
      Path deadWithLock = Files.createDirectories(runs.resolve(DEAD + "-0000abcd"));
      Files.writeString(deadWithLock.resolve(RunDirectory.LOCK), "");
      Files.createDirectories(deadWithLock.resolve("step-x/upper"));
      Path deadWithoutLock = Files.createDirectories(runs.resolve(DEAD + "-0000beef"));
      Path tmp = Files.createDirectories(store.resolve(".berth-tmp"));
      Path deadBlob = Files.writeString(tmp.resolve("blob-" + DEAD + "-" + java.util.UUID.randomUUID()), "partial");
      Path liveBlob = Files.writeString(tmp.resolve(dev.berth.store.ContentStore.tempName("blob")), "writing");
      Path oldStyle = Files.writeString(tmp.resolve("blob-" + java.util.UUID.randomUUID()), "unknown writer");
      Path deadSnapshot = Files.createDirectories(store.resolve("berth-snapshots/.tmp-" + DEAD + "-"
          + java.util.UUID.randomUUID()));

      Reaper.Report report = Reaper.reap(store, "runc");

      assertThat(report.runDirectories()).isEqualTo(2);
      assertThat(deadWithLock).doesNotExist();
      assertThat(deadWithoutLock).doesNotExist();
      assertThat(deadBlob).doesNotExist();
      assertThat(deadSnapshot).doesNotExist();
      assertThat(step.path()).as("the live run's step").isDirectory();
      assertThat(live.path().resolve(RunDirectory.LOCK)).exists();
      assertThat(liveBlob).exists();
      assertThat(oldStyle).as("left to gc, which runs alone").exists();
    }
    assertThat(store.resolve("berth-run")).isEmptyDirectory();
  }

  @Test
  void readsTheWriterOfATemporaryName() {
    String uuid = "0e2a8c41-7f9b-4c1e-9a55-1234567890ab";
    assertThat(Reaper.writerOf("blob-42-" + uuid)).isEqualTo(OptionalLong.of(42));
    assertThat(Reaper.writerOf("oci-layout-42-" + uuid)).isEqualTo(OptionalLong.of(42));
    assertThat(Reaper.writerOf(".tmp-42-" + uuid)).isEqualTo(OptionalLong.of(42));
    assertThat(Reaper.writerOf("blob-" + uuid)).isEmpty();
    assertThat(Reaper.writerOf("sha256")).isEmpty();
    assertThat(Reaper.writerOf("a-b-c-d-e-f-g")).isEmpty();
  }
}
