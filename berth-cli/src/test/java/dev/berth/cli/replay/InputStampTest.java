package dev.berth.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class InputStampTest {
  @TempDir Path dir;
  Path tree;
  Path config;

  @BeforeEach
  void aTree() throws Exception {
    tree = dir.resolve("tree");
    Files.createDirectories(tree.resolve("app/sub"));
    Files.writeString(tree.resolve("app/image.yaml"), "base: scratch\n");
    Files.writeString(tree.resolve("app/sub/data.txt"), "one\n");
    Files.createDirectories(tree.resolve(".berth"));
    Files.writeString(tree.resolve(".berth/journal.log"), "{}\n");
    config = dir.resolve("config.yaml");
  }

  private InputStamp stamp() throws Exception {
    return InputStamp.capture(List.of(tree), List.of(config)).orElseThrow();
  }

  @Test
  void anUntouchedTreeIsUnchanged() throws Exception {
    InputStamp stamp = stamp();
    assertThat(stamp.unchanged()).isTrue();
    assertThat(stamp.entries()).extracting(Watched::path)
        .contains(tree.resolve("app/sub/data.txt").toString(), config.toString())
        .noneMatch(path -> path.contains(".berth"));
  }

  @Test
  void berthsOwnStateIsNotAnInput() throws Exception {
    InputStamp stamp = stamp();
    Files.writeString(tree.resolve(".berth/journal.log"), "{}\n{}\n");
    Files.writeString(tree.resolve(".berth/state.json"), "{}");
    assertThat(stamp.unchanged()).isTrue();
  }

  @Test
  void aRewrittenFileOfTheSameSizeAndTimeIsSeenByItsChangeTime() throws Exception {
    Path data = tree.resolve("app/sub/data.txt");
    FileTime old = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(data, old);
    InputStamp stamp = stamp();
    Thread.sleep(20);
    Files.writeString(data, "two\n");
    Files.setLastModifiedTime(data, old);  // as cp -p or tar would leave it
    assertThat(stamp.firstChange()).contains(data.toString());
  }

  @Test
  void anAddedFileDeepInTheTreeIsSeenByItsDirectory() throws Exception {
    InputStamp stamp = stamp();
    Thread.sleep(20);
    Files.writeString(tree.resolve("app/sub/new.txt"), "new\n");
    assertThat(stamp.firstChange()).contains(tree.resolve("app/sub").toString());
  }

  @Test
  void aRemovedFileIsSeen() throws Exception {
    InputStamp stamp = stamp();
    Files.delete(tree.resolve("app/sub/data.txt"));
    assertThat(stamp.unchanged()).isFalse();
  }

  @Test
  void aChangedModeIsSeen() throws Exception {
    InputStamp stamp = stamp();
    Files.setPosixFilePermissions(tree.resolve("app/image.yaml"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(stamp.firstChange()).contains(tree.resolve("app/image.yaml").toString());
  }

  @Test
  void aFileThatAppearsWhereNoneWasIsSeen() throws Exception {
    InputStamp stamp = stamp();
    assertThat(stamp.entries()).filteredOn(entry -> entry.path().equals(config.toString()))
        .extracting(Watched::kind).containsExactly(Watched.ABSENT);
    Files.writeString(config, "registry: r\n");
    assertThat(stamp.firstChange()).contains(config.toString());
  }

  @Test
  void aSymbolicLinkOutOfTheTreeIsNotStamped() throws Exception {
    Files.createSymbolicLink(tree.resolve("app/outside"), dir.resolve("elsewhere"));
    assertThat(InputStamp.capture(List.of(tree), List.of())).isEmpty();
    Files.delete(tree.resolve("app/outside"));
    Files.createSymbolicLink(tree.resolve("app/inside"), Path.of("sub/data.txt"));
    assertThat(InputStamp.capture(List.of(tree), List.of())).isPresent();
  }

  @Test
  void aFileWrittenAfterTheRunStartedIsTooFreshToTrust() throws Exception {
    long before = Replays.now();
    Thread.sleep(20);
    Files.writeString(tree.resolve("app/sub/data.txt"), "two\n");
    assertThat(stamp().touchedSince(before)).isTrue();
    assertThat(stamp().touchedSince(Replays.now() + 1_000_000_000L)).isFalse();
  }
}
