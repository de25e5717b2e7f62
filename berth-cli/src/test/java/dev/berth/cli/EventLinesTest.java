package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.event.BuildEvent;
import dev.berth.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines the CLI shows for each event: the same text berth printed before events were typed. */
@Tag("unit")
class EventLinesTest {
  static final Digest DIGEST = Digest.sha256(new byte[0]);

  @Test
  void eachEventHasItsLine() {
    assertThat(EventLines.text(new BuildEvent.BuildStarted("web", "k", "new"))).isEqualTo("web: building (new)");
    assertThat(EventLines.text(new BuildEvent.StepStarted("web", 2, 5, "apt [\"curl\"]")))
        .isEqualTo("web: step 2/5 apt [\"curl\"]");
    assertThat(EventLines.text(new BuildEvent.StepFinished("web", 1, 5, "copy x", BuildEvent.Cache.HIT, Duration.ZERO)))
        .isEqualTo("web: step 1/5 copy x (cached)");
    assertThat(EventLines.text(new BuildEvent.StepFinished("web", 1, 5, "copy x", BuildEvent.Cache.PREPARED,
        Duration.ZERO))).isEqualTo("web: step 1/5 copy x (prepared)");
    assertThat(EventLines.text(new BuildEvent.Output("web", "Setting up curl"))).isEqualTo("web | Setting up curl");
    assertThat(EventLines.text(new BuildEvent.EngineBuild("web", "docker", "unix:///var/run/docker.sock")))
        .isEqualTo("web: docker build (engine at unix:///var/run/docker.sock)");
    assertThat(EventLines.text(new BuildEvent.Fetching("web", "k"))).isEqualTo("web: fetching from the registry");
    assertThat(EventLines.text(new BuildEvent.Built("web", "k", DIGEST, Duration.ofSeconds(2))))
        .isEqualTo("web: built " + DIGEST);
    assertThat(EventLines.text(new BuildEvent.Published("web", List.of("r/web:k@" + DIGEST, "r/web:1@" + DIGEST))))
        .isEqualTo("web: published r/web:k@" + DIGEST + ", r/web:1@" + DIGEST);
    assertThat(EventLines.text(new BuildEvent.Loaded("web", List.of("web:k")))).isEqualTo("web: loaded into the engine as web:k");
    assertThat(EventLines.text(new BuildEvent.Failed("web", "build failed: x"))).isEqualTo("web: failed: build failed: x");
    assertThat(EventLines.text(new BuildEvent.Blocked("app", "blocked by web (failed)")))
        .isEqualTo("app: blocked: blocked by web (failed)");
    assertThat(EventLines.text(new BuildEvent.Warning("", "base b moved"))).isEqualTo("warning: base b moved");
    assertThat(EventLines.text(new BuildEvent.Warning("web", "no changelog"))).isEqualTo("warning: web: no changelog");
  }

  @Test
  void whatOnlyJsonAndTheApiCarryHasNoLine() {
    assertThat(EventLines.text(new BuildEvent.Planned("web", "k", "build", "new"))).isNull();
    assertThat(EventLines.text(new BuildEvent.StepFinished("web", 1, 1, "run x", BuildEvent.Cache.MISS,
        Duration.ofSeconds(1)))).isNull();
    assertThat(EventLines.text(new BuildEvent.BytesTransferred("web", "r/web:k", BuildEvent.Direction.PUSH, 10, 1,
        Duration.ofSeconds(1)))).isNull();
    assertThat(EventLines.text(new BuildEvent.TransferStarted("web", "r/web:k", BuildEvent.Direction.PULL))).isNull();
    assertThat(EventLines.text(new BuildEvent.LayerWritten("web", 2, 3, "copy f", 10, Duration.ofSeconds(1)))).isNull();
    assertThat(EventLines.text(new BuildEvent.Verified("web", "k", Duration.ZERO))).isNull();
  }

  @Test
  void commandsThatBuildNothingShowOnlyWarnings() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EventLines warnings = EventLines.warnings(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    warnings.on(new BuildEvent.BuildStarted("web", "k", "new"));
    warnings.on(new BuildEvent.Warning("", "registry mirror m: refused"));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("warning: registry mirror m: refused\n");
  }

  @Test
  void progressWithoutATerminalPrintsEachLineWithTheTime() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TimedLines progress = new TimedLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    progress.on(new BuildEvent.Planned("web", "k", "build", "new"));
    progress.on(new BuildEvent.BuildStarted("web", "k", "new"));
    assertThat(bytes.toString(StandardCharsets.UTF_8)).matches("\\[ *\\d+\\.\\ds] web: building \\(new\\)\n");
  }
}
