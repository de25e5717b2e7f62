package dev.berth.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ReplayCacheTest {
  @TempDir Path dir;

  private Recording recording(String keyText) throws Exception {
    Files.writeString(dir.resolve("input"), "x");
    InputStamp stamp = InputStamp.capture(List.of(), List.of(dir.resolve("input"), dir.resolve("absent"))).orElseThrow();
    return new Recording(new ReplayKey(keyText), stamp, List.of(
        new Recording.Output(false, "cached  a:1\n".getBytes(StandardCharsets.UTF_8)),
        new Recording.Output(true, "warning\n".getBytes(StandardCharsets.UTF_8)),
        new Recording.Output(false, "cached  b:2\n".getBytes(StandardCharsets.UTF_8))), 0,
        List.of(new JournalLines(dir.resolve("tree/.berth/journal.log"), List.of(
            new JournalLines.Transition("a", "planned", "1", "in the store"),
            new JournalLines.Transition("a", "cached", "1", null)))));
  }

  @Test
  void aSavedRecordingIsFoundWholeUnderItsKey() throws Exception {
    ReplayCache cache = new ReplayCache(dir.resolve("cache"));
    Recording saved = recording("key one\n");
    cache.save(saved);
    Recording found = cache.find(new ReplayKey("key one\n")).orElseThrow();
    assertThat(found.inputs()).isEqualTo(saved.inputs());
    assertThat(found.output()).extracting(Recording.Output::error).containsExactly(false, true, false);
    assertThat(found.output()).extracting(chunk -> new String(chunk.bytes(), StandardCharsets.UTF_8))
        .containsExactly("cached  a:1\n", "warning\n", "cached  b:2\n");
    assertThat(found.journals()).isEqualTo(saved.journals());
    assertThat(found.inputs().unchanged()).isTrue();
    assertThat(cache.find(new ReplayKey("key two\n"))).isEmpty();
  }

  /** A key holds environment variables such as a proxy URL with a password: recordings are the user's alone. */
  @Test
  void recordingsAreReadableByTheirOwnerAlone() throws Exception {
    ReplayCache cache = new ReplayCache(dir.resolve("cache"));
    Files.createDirectories(dir.resolve("cache"));
    Files.setPosixFilePermissions(dir.resolve("cache"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    cache.save(recording("env https_proxy=http://user:secret@proxy:3128\n"));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cache"))))
        .isEqualTo("rwx------");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
        dir.resolve("cache").resolve(new ReplayKey("env https_proxy=http://user:secret@proxy:3128\n").fileName()))))
        .isEqualTo("rw-------");
  }

  @Test
  void aFileNameSharedByAnotherKeyIsNotTakenForIt() throws Exception {
    ReplayCache cache = new ReplayCache(dir.resolve("cache"));
    cache.save(recording("key one\n"));
    // a colliding key: the file under its name holds another key's text
    Path file = dir.resolve("cache").resolve(new ReplayKey("key one\n").fileName());
    Files.move(file, dir.resolve("cache").resolve(new ReplayKey("key two\n").fileName()));
    assertThat(cache.find(new ReplayKey("key two\n"))).isEmpty();
  }

  @Test
  void aTornOrForeignFileIsNoRecording() throws Exception {
    ReplayCache cache = new ReplayCache(dir.resolve("cache"));
    cache.save(recording("key one\n"));
    Path file = dir.resolve("cache").resolve(new ReplayKey("key one\n").fileName());
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThat(cache.find(new ReplayKey("key one\n"))).isEmpty();
    Files.writeString(file, "not a recording");
    assertThat(cache.find(new ReplayKey("key one\n"))).isEmpty();
  }

  @Test
  void onlyTheNewestRecordingsAreKept() throws Exception {
    ReplayCache cache = new ReplayCache(dir.resolve("cache"));
    for (int i = 0; i < ReplayCache.KEPT + 5; i++) {
      cache.save(recording("key " + i + "\n"));
      Files.setLastModifiedTime(dir.resolve("cache").resolve(new ReplayKey("key " + i + "\n").fileName()),
          java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    try (var files = Files.list(dir.resolve("cache"))) {
      assertThat(files.count()).isEqualTo(ReplayCache.KEPT);
    }
    assertThat(cache.find(new ReplayKey("key 0\n"))).isEmpty();
    assertThat(cache.find(new ReplayKey("key " + (ReplayCache.KEPT + 4) + "\n"))).isPresent();
  }

  @Test
  void theSwitchAndTheLocationComeFromTheEnvironment() {
    assertThat(ReplayCache.fromEnvironment(Map.of("HOME", "/home/u"))).get().extracting(ReplayCache::directory)
        .isEqualTo(Path.of("/home/u/.cache/berth/replay"));
    assertThat(ReplayCache.fromEnvironment(Map.of("HOME", "/home/u", "XDG_CACHE_HOME", "/c"))).get()
        .extracting(ReplayCache::directory).isEqualTo(Path.of("/c/berth/replay"));
    assertThat(ReplayCache.fromEnvironment(Map.of("HOME", "/home/u", "BERTH_REPLAY", "off"))).isEmpty();
  }

  @Test
  void journalTimesAreWhatInstantPrintsAndParses() {
    for (Instant instant : List.of(Instant.EPOCH, Instant.parse("2026-12-04T04:12:42.474332449Z"),
        Instant.parse("2000-02-29T23:59:59.000000001Z"), Instant.parse("2100-03-01T00:00:00Z"), Instant.now())) {
      assertThat(Instant.parse(JournalLines.iso(instant))).isEqualTo(instant);
    }
    assertThat(JournalLines.iso(Instant.parse("2026-12-04T04:12:42.4743Z"))).isEqualTo("2026-12-04T04:12:42.474300000Z");
  }
}
