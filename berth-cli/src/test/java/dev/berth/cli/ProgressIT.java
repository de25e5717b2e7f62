package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --progress on real runs: a pseudo-terminal (util-linux's script gives the child one) shows the live
 * display with byte counts of a push to a real registry; stderr redirected to a file gets no escape
 * codes even when stdin and stdout are a terminal; json lines parse; a bad mode is a usage error.
 */
@Tag("integration")
@Tag("registry")
@Tag("runc")
class ProgressIT {
  private static final String ESCAPE = "\033";
  static LocalRegistry registry;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.startPlain();
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  /** A tree of one image: busybox with two copied files, one of 2 MB of random bytes (so the push takes bytes). */
  private Path tree(Berth berth) throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/team\n");
    Path folder = Files.createDirectories(tree.resolve("web"));
    byte[] random = new byte[2_000_000];
    new Random(19).nextBytes(random);
    Files.write(folder.resolve("big.bin"), random);
    Files.writeString(folder.resolve("small.txt"), "one");
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "test/busybox:1").succeeded();
    Files.writeString(folder.resolve("image.yaml"), "base: test/busybox:1\ncopy:\n  - {src: big.bin, dest: /big.bin}\n"
        + "  - {src: small.txt, dest: /small.txt}\n");
    return tree;
  }

  /** Runs {@code shellCommand} under script(1), so its stdin, stdout and stderr are a pseudo-terminal; returns what the terminal got. */
  private static String inPseudoTerminal(String shellCommand) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("script", "-qfec", shellCommand, "/dev/null")
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().remove("CI");
    builder.environment().put("TERM", "xterm");
    builder.environment().put("COLUMNS", "100");
    Process process = builder.start();
    process.getOutputStream().close();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("berth under script; the terminal showed:%n%s", text).isZero();
    return text;
  }

  private static String berthCommand(Path store, String... args) {
    List<String> words = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Berth.JAR.toString()));
    words.addAll(List.of(args));
    words.addAll(List.of("--store", store.toString()));
    return String.join(" ", words.stream().map(word -> "'" + word + "'").toList());
  }

  @Test
  void aTerminalShowsTheLiveDisplayWithTheBytesOfThePushAndARedirectedStderrGetsNoEscapeCodes() throws Exception {
    Path store = work.resolve("store");
    Path tree = tree(new Berth(store));
    Path log = work.resolve("log");

    String terminal = inPseudoTerminal(berthCommand(store, "build", tree.toString()) + " 2>'" + log + "'");
    String logged = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(logged).as("stderr to a file, stdin and stdout a terminal").doesNotContain(ESCAPE)
        .containsPattern("\\[ *\\d+\\.\\ds\\] web: building").contains("web: built sha256:");
    assertThat(terminal).as("stdout on the terminal").containsPattern("verified +web:");

    Files.writeString(tree.resolve("web/small.txt"), "changed");  // built again: the live block has a line to draw
    String live = inPseudoTerminal(berthCommand(store, "build", tree.toString(), "--push"));
    assertThat(live).as("the live display on the terminal").contains(ESCAPE + "[1A" + ESCAPE + "[2K")
        .containsPattern("web: pushed [0-9.]+ [kMG]B in [0-9]+ blobs at [0-9.]+ [kMG]?B/s to " + registry.host()
            + "/team/web:[0-9a-f]{24}")
        .contains("pushing to " + registry.host() + "/team/web:")
        .as("a line per blob while it moves").containsPattern("sha256:[0-9a-f]{12}  pushing  [0-9.]+ [kM]?B / [0-9.]+ [kM]?B  [0-9]+%")
        .containsPattern("web: published " + registry.host() + "/team/web:");
    for (String line : live.split("\r?\n")) {
      String shown = line.substring(line.lastIndexOf("[2K") + 3);
      assertThat(shown.codePointCount(0, shown.length())).as("cut to COLUMNS: %s", line).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void jsonLinesParseAndSayHowEachStepGotItsLayer() throws Exception {
    Path store = work.resolve("store");
    Berth berth = new Berth(store);
    Path tree = tree(berth);
    List<JsonNode> first = events(berth.run("build", tree.toString(), "--progress=json").succeeded().stderr());
    assertThat(first).anySatisfy(event -> {
      assertThat(event.get("type").asText()).isEqualTo("StepFinished");
      assertThat(event.get("image").asText()).isEqualTo("web");
      assertThat(event.get("cache").asText()).isIn("MISS", "PREPARED");
    });
    assertThat(first).anySatisfy(event -> assertThat(event.get("type").asText()).isEqualTo("Built"));
    assertThat(first).as("big.bin's layer written, with its size").anySatisfy(event -> {
      assertThat(event.get("type").asText()).isEqualTo("LayerWritten");
      assertThat(event.get("index").asInt()).isEqualTo(1);
      assertThat(event.get("bytes").asLong()).isGreaterThan(2_000_000);
    });

    Files.writeString(tree.resolve("web/small.txt"), "two");
    List<JsonNode> second = events(berth.run("build", tree.toString(), "--progress=json").succeeded().stderr());
    assertThat(second).anySatisfy(event -> {
      assertThat(event.get("type").asText()).isEqualTo("StepFinished");
      assertThat(event.get("index").asInt()).isEqualTo(1);
      assertThat(event.get("cache").asText()).as("big.bin's layer, unchanged").isEqualTo("HIT");
    });
  }

  private static List<JsonNode> events(String stderr) {
    assertThat(stderr).doesNotContain(ESCAPE);
    List<JsonNode> events = new ArrayList<>();
    for (String line : stderr.strip().split("\n")) {
      events.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
    }
    return events;
  }

  @Test
  void dockerPkgBuildShowsItsProgressOnStderrWhenAsked() throws Exception {
    Path store = work.resolve("store");
    Berth berth = new Berth(store);
    Path repo = Path.of("..").toAbsolutePath().normalize();
    String rootfs = Berth.tool(repo, repo.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "bench/busybox:1").succeeded();
    Path tree = work.resolve("pkg");
    Berth.tool(repo, "python3", repo.resolve("bench/scripts/make-dockerpkg-tree.py").toString(), tree.toString(), "2",
        "bench/busybox:1");
    Berth.Result run = berth.run("docker-pkg", "-c", tree.resolve("config.yaml").toString(), "build", "--progress=json",
        tree.toString()).succeeded();
    List<JsonNode> events = events(run.stderr());
    assertThat(events).filteredOn(event -> event.get("type").asText().equals("Built")).hasSize(2);
    assertThat(events).anySatisfy(event -> assertThat(event.get("type").asText()).isEqualTo("StepFinished"));
    assertThat(run.stdout()).contains("== Build done! ==").doesNotContain("You can see the logs");
  }

  @Test
  void anUnknownModeIsAUsageErrorOfOneLine() throws Exception {
    Path store = work.resolve("store");
    Berth berth = new Berth(store);
    for (String command : List.of("build", "plan", "publish")) {
      Berth.Result bad = berth.run(command, work.toString(), "--progress=bogus");
      bad.failedWithOneLine("invalid --progress 'bogus': auto, tty, plain or json");
      assertThat(bad.exitCode()).as(command).isEqualTo(2);
    }
    Berth.Result pkg = berth.run("docker-pkg", "build", "--progress=bogus", work.toString());
    pkg.failedWithOneLine("invalid --progress 'bogus': auto, tty, plain or json");
    assertThat(pkg.exitCode()).isEqualTo(2);
    assertThat(Berth.snapshot(store)).as("nothing written").isEmpty();
  }
}
