package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --progress: the modes, the terminal check, width cutting, the live display and the JSON lines. */
@Tag("unit")
class ProgressTest {
  private static final String ESCAPE = "\033";

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String shown(BuildListener listener, BuildEvent... events) {
    for (BuildEvent event : events) {
      listener.on(event);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static final BuildEvent[] RUN = {
      new BuildEvent.BuildStarted("web", "k1", "new"),
      new BuildEvent.StepStarted("web", 1, 2, "apt curl and a very long description that goes on and on and on"),
      new BuildEvent.LayerWritten("web", 1, 2, "apt curl", 3_400_000, Duration.ofSeconds(2)),
      new BuildEvent.StepFinished("web", 1, 2, "apt curl", BuildEvent.Cache.MISS, Duration.ofSeconds(2)),
      new BuildEvent.Output("web", "Setting up curl"),
      new BuildEvent.Built("web", "k1", Digest.sha256("x".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(3)),
      new BuildEvent.TransferStarted("web", "127.0.0.1:5000/web:k1", BuildEvent.Direction.PUSH),
      new BuildEvent.BytesTransferred("web", "127.0.0.1:5000/web:k1", BuildEvent.Direction.PUSH, 12_500_000, 3,
          Duration.ofMillis(2500)),
      new BuildEvent.Published("web", List.of("127.0.0.1:5000/web:k1@sha256:ab")),
  };

  @Test
  void anUnknownModeIsAUsageError() {
    assertThatThrownBy(() -> ProgressOption.of("bogus").mode()).isInstanceOf(UsageException.class)
        .hasMessage("invalid --progress 'bogus': auto, tty, plain or json");
    assertThat(ProgressOption.of("tty").mode()).isEqualTo(ProgressOption.Mode.TTY);
  }

  @Test
  void autoDrawsOnlyOnALiveTerminal() {
    assertThat(ProgressOption.listener(ProgressOption.Mode.AUTO, err, new Terminal(true, false, 80)))
        .isInstanceOf(LiveDisplay.class);
    assertThat(ProgressOption.listener(ProgressOption.Mode.AUTO, err, new Terminal(false, false, 80)))
        .isInstanceOf(TimedLines.class);
    assertThat(ProgressOption.listener(ProgressOption.Mode.AUTO, err, new Terminal(true, true, 80)))
        .as("TERM=dumb or CI").isInstanceOf(TimedLines.class);
  }

  @Test
  void aTerminalIsAPseudoTerminalOrTtyDeviceNotAFileOrPipe(@TempDir Path dir) throws Exception {
    Path pts = Files.createSymbolicLink(dir.resolve("2"), Path.of("/dev/pts/3"));
    Path tty = Files.createSymbolicLink(dir.resolve("3"), Path.of("/dev/tty1"));
    Path file = Files.createSymbolicLink(dir.resolve("4"), dir.resolve("log"));
    Path pipe = Files.createSymbolicLink(dir.resolve("5"), Path.of("pipe:[1234]"));
    assertThat(Terminal.isTerminal(pts)).isTrue();
    assertThat(Terminal.isTerminal(tty)).isTrue();
    assertThat(Terminal.isTerminal(file)).isFalse();
    assertThat(Terminal.isTerminal(pipe)).isFalse();
    assertThat(Terminal.isTerminal(dir.resolve("missing"))).isFalse();
  }

  @Test
  void theWidthIsColumnsWhenSet() {
    assertThat(Terminal.width(Map.of("COLUMNS", "120"))).isEqualTo(120);
    assertThat(Terminal.detect(Map.of("COLUMNS", "57", "TERM", "dumb")).width()).isEqualTo(57);
    assertThat(Terminal.detect(Map.of("COLUMNS", "x", "CI", "true")).live()).isFalse();
  }

  @Test
  void linesAreCutToTheWidth() {
    assertThat(Terminal.cut("short", 10)).isEqualTo("short");
    assertThat(Terminal.cut("0123456789abc", 10)).isEqualTo("012345678…").hasSize(10);
    assertThat(Terminal.cut("ééééé", 3)).isEqualTo("éé…");
  }

  @Test
  void plainHasTimestampedLinesAndNoEscapeCodes() {
    String text = shown(new TimedLines(err), RUN);
    assertThat(text).doesNotContain(ESCAPE).contains("] web: building (new)").contains("] web | Setting up curl")
        .containsPattern("\\[ *\\d+\\.\\ds\\] web: published ");
  }

  @Test
  void ttyShowsTheStepElapsedTimeBytesAndSpeedInLinesCutToTheWidth() {
    String text = shown(new LiveDisplay(err, 80), RUN);
    assertThat(text).contains("\033[1A\033[2K");
    String[] lines = text.replace("\033[1A\033[2K", "").split("\n");
    assertThat(lines).allSatisfy(line -> assertThat(line.codePointCount(0, line.length())).isLessThanOrEqualTo(80));
    assertThat(text).contains("web: pushed 12.5 MB in 3 blobs at 5.0 MB/s to 127.0.0.1:5000/web:k1")
        .contains("web: published ").contains("web | Setting up curl")
        .contains("s  pushing to 127.0.0.1:5000/web:k1\n");
    assertThat(LiveDisplay.line("web", Duration.ofMillis(2500), "step 1/2 apt curl", "wrote 3.4 MB at 1.7 MB/s"))
        .isEqualTo("  web                         2.5s  [wrote 3.4 MB at 1.7 MB/s] step 1/2 apt curl");
    assertThat(text).contains("step 1/2 apt curl and a very").contains("s  [wrote 3.4 MB at 1.7 MB/s] step 1/2")
        .contains("…\n");
  }

  private static final Digest LAYER = Digest.sha256("layer".getBytes(StandardCharsets.UTF_8));
  private static final String REF = "127.0.0.1:5000/web:k1";

  private static BuildEvent.BlobProgress pushed(long done) {
    return new BuildEvent.BlobProgress("web", REF, BuildEvent.Direction.PUSH, LAYER, done, 30_000_000);
  }

  @Test
  void ttyShowsEachMovingBlobUnderItsImageAndDropsItWhenDone() {
    LiveDisplay display = new LiveDisplay(err, 80);
    display.on(new BuildEvent.TransferStarted("web", REF, BuildEvent.Direction.PUSH));
    display.on(pushed(0));
    display.on(pushed(12_300_000));
    String moving = bytes.toString(StandardCharsets.UTF_8);
    String shortDigest = LAYER.toString().substring(0, 19);
    assertThat(moving.substring(moving.lastIndexOf("\033[2K") + 4))
        .contains("pushing to " + REF + "\n      " + shortDigest + "  pushing  12.3 MB / 30.0 MB  41%\n");
    bytes.reset();
    display.on(pushed(30_000_000));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).as("redrawn without the finished blob")
        .contains("pushing to " + REF).doesNotContain(shortDigest);
    bytes.reset();
    display.on(pushed(1_000_000));
    display.on(new BuildEvent.BytesTransferred("web", REF, BuildEvent.Direction.PUSH, 30_000_000, 1, Duration.ofSeconds(1)));
    String after = bytes.toString(StandardCharsets.UTF_8);
    assertThat(after.substring(after.lastIndexOf("web: pushed"))).as("the transfer is over").doesNotContain(shortDigest);
  }

  @Test
  void plainShowsASlowBlobEveryTwoSecondsAndAQuickOneNotAtAll() {
    long[] now = {0};
    TimedLines plain = new TimedLines(err, () -> now[0]);
    plain.on(pushed(0));
    for (int i = 1; i <= 50; i++) {  // 100 ms and 500 kB at a time: 5 s
      now[0] += 100_000_000L;
      plain.on(pushed(i * 500_000L));
    }
    plain.on(pushed(30_000_000));
    String shortDigest = LAYER.toString().substring(0, 19);
    assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "[  2.0s] web: " + shortDigest + "  pushing  10.0 MB / 30.0 MB  33%",
        "[  4.0s] web: " + shortDigest + "  pushing  20.0 MB / 30.0 MB  66%",
        "[  5.0s] web: " + shortDigest + "  pushing  30.0 MB / 30.0 MB  100%");
    bytes.reset();
    plain.on(pushed(0));
    now[0] += 300_000_000L;
    plain.on(pushed(30_000_000));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).as("a blob done within 2 s").isEmpty();
    assertThat(EventLines.text(pushed(5))).isNull();
  }

  @Test
  void jsonCarriesEachBlobsBytesAndTotal() {
    assertThat(JsonEvents.line(pushed(12_300_000), java.time.Instant.EPOCH)).isEqualTo(
        "{\"type\":\"BlobProgress\",\"time\":\"1970-01-01T00:00:00Z\",\"image\":\"web\",\"reference\":\"" + REF
            + "\",\"direction\":\"PUSH\",\"blob\":\"" + LAYER + "\",\"bytes\":12300000,\"total\":30000000}");
  }

  @Test
  void sizesAndRatesReadAsDockerShowsThem() {
    assertThat(LiveDisplay.bytes(999)).isEqualTo("999 B");
    assertThat(LiveDisplay.bytes(1500)).isEqualTo("1.5 kB");
    assertThat(LiveDisplay.bytes(2_300_000_000L)).isEqualTo("2.3 GB");
    assertThat(LiveDisplay.rate(1000, Duration.ZERO)).isEmpty();
    assertThat(LiveDisplay.rate(5_000_000, Duration.ofSeconds(2))).isEqualTo(" at 2.5 MB/s");
  }

  @Test
  void jsonIsOneObjectPerEventWithItsTypeAndFields() {
    String text = shown(new JsonEvents(err), RUN);
    List<String> lines = text.lines().toList();
    assertThat(lines).hasSize(RUN.length);
    JsonNode finished = Json.tree(lines.get(3).getBytes(StandardCharsets.UTF_8));
    assertThat(finished.get("type").asText()).isEqualTo("StepFinished");
    assertThat(finished.get("image").asText()).isEqualTo("web");
    assertThat(finished.get("index").asInt()).isEqualTo(1);
    assertThat(finished.get("count").asInt()).isEqualTo(2);
    assertThat(finished.get("description").asText()).isEqualTo("apt curl");
    assertThat(finished.get("cache").asText()).isEqualTo("MISS");
    assertThat(finished.get("duration").asDouble()).isEqualTo(2.0);
    assertThat(finished.has("time")).isTrue();
    JsonNode built = Json.tree(lines.get(5).getBytes(StandardCharsets.UTF_8));
    assertThat(built.get("digest").asText()).startsWith("sha256:");
    JsonNode pushed = Json.tree(lines.get(7).getBytes(StandardCharsets.UTF_8));
    assertThat(pushed.get("direction").asText()).isEqualTo("PUSH");
    assertThat(pushed.get("bytes").asLong()).isEqualTo(12_500_000);
    assertThat(JsonEvents.line(new BuildEvent.WorkerDown("w1", "gone"), Instant.EPOCH))
        .isEqualTo("{\"type\":\"WorkerDown\",\"time\":\"1970-01-01T00:00:00Z\",\"image\":\"\",\"worker\":\"w1\","
            + "\"reason\":\"gone\"}");
    assertThat(text).doesNotContain(ESCAPE);
  }

  @Test
  void everyEventTypeAndFieldIsDocumented() throws Exception {
    String schema = Files.readString(Path.of("..", "docs", "output-schema.md"), StandardCharsets.UTF_8);
    String table = schema.substring(schema.indexOf("## Progress events"));
    for (Class<?> type : BuildEvent.class.getPermittedSubclasses()) {
      String row = table.lines().filter(line -> line.startsWith("| `" + type.getSimpleName() + "`")
          || line.contains(", `" + type.getSimpleName() + "`")).findFirst().orElse(null);
      assertThat(row).as("docs/output-schema.md lists %s", type.getSimpleName()).isNotNull();
      for (var component : type.getRecordComponents()) {
        if (!component.getName().equals("image")) {
          assertThat(row).as("%s's field %s", type.getSimpleName(), component.getName())
              .contains("`" + component.getName() + "`");
        }
      }
    }
  }
}
