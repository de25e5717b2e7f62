package dev.berth.api.tree;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.plan.ImageState;
import dev.berth.plan.Journal;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class InterruptionTest {
  @TempDir
  Path dir;

  @Test
  void anInterruptedRunJournalsWhatWasNotFinishedAndReportsNoFailure() throws Exception {
    ContentStore store = ContentStore.open(dir.resolve("store"));
    RunDirectory run = RunDirectory.open(store.root(), "runc");
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Journal journal = Journal.open(tree, Clock.systemUTC());
    journal.transition("done", ImageState.BUILT, "k1", null, null);
    journal.transition("slow", ImageState.BUILDING, "k2", null, null);

    Interruption.Interrupted interrupted = Interruption.stop(run, journal, store);

    assertThat(interrupted.notJournaled()).isEmpty();
    assertThat(interrupted.notCleanedUp()).isEmpty();
    assertThat(journal.interrupted()).isTrue();
    assertThat(journal.entry("slow").orElseThrow().state()).isEqualTo(ImageState.INTERRUPTED);
    assertThat(journal.entry("done").orElseThrow().state()).isEqualTo(ImageState.BUILT);
  }

  @Test
  void aJournalThatCannotBeWrittenIsReportedTypedAndTheRunStillStops() throws Exception {
    ContentStore store = ContentStore.open(dir.resolve("store"));
    RunDirectory run = RunDirectory.open(store.root(), "runc");
    Path tree = Files.createDirectories(dir.resolve("tree"));
    Journal journal = Journal.open(tree, Clock.systemUTC());
    journal.transition("slow", ImageState.BUILDING, "k2", null, null);
    Path state = tree.resolve(".berth");  // replaced by a file: the journal cannot be saved, even by root
    try (var files = Files.walk(state)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
    Files.writeString(state, "");

    Interruption.Interrupted interrupted = Interruption.stop(run, journal, store);

    assertThat(interrupted.notJournaled()).isPresent();
    assertThat(interrupted.notCleanedUp()).isEmpty();
  }

  @Test
  void aClosedInterruptionLeavesNoHook() throws Exception {
    ContentStore store = ContentStore.open(dir.resolve("store"));
    RunDirectory run = RunDirectory.open(store.root(), "runc");
    Journal journal = Journal.open(Files.createDirectories(dir.resolve("tree")), Clock.systemUTC());
    Interruption interruption = Interruption.install(run, journal, store, interrupted -> { });
    interruption.close();
    interruption.close();  // twice: still nothing to remove, no error
    assertThat(journal.interrupted()).isFalse();
  }
}
