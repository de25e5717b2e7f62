package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No speed trick changes a digest: the bundled examples (an image.yaml image, and a docker-pkg tree
 * with RUN steps) built as users build them, through the launcher (class-data archives, its JIT
 * options, replay, every core, parallel gzip, the pipelined tree build, then a replayed no-op), give
 * the same manifest digests as a build with all of that off: the interpreter only, no class-data
 * sharing, one processor, one job, {@code BERTH_REPLAY=off}, fresh trees and a fresh store.
 */
@Tag("integration")
@Tag("runc")
class OptimisationsOffIT {
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  private static final Path LAUNCHER = EXAMPLES.getParent().resolve("berth");

  @TempDir Path work;

  @Test
  void theExamplesGetTheSameManifestDigestsWithEveryOptimisationOff() throws Exception {
    Map<String, String> usual = digests("usual", List.of(LAUNCHER.toString()), "on", List.of());
    Map<String, String> plain = digests("plain", List.of(java(), "-Xint", "-Xshare:off", "-XX:ActiveProcessorCount=1",
        "-XX:+UseSerialGC", "-jar", Berth.JAR.toString()), "off", List.of("--jobs", "1"));
    assertThat(usual).as("image → manifest digest").hasSizeGreaterThanOrEqualTo(7).isEqualTo(plain);
  }

  /** Each example image's manifest digest, built in a fresh store by {@code berth}. */
  private Map<String, String> digests(String name, List<String> berth, String replay, List<String> options)
      throws Exception {
    Path store = work.resolve(name).resolve("store");
    String rootfs = Berth.tool(EXAMPLES, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip();
    run(berth, replay, "import", rootfs, "--as", "examples/busybox:1", "--store", store.toString());
    Map<String, String> digests = new TreeMap<>();
    for (String example : List.of("hello", "docker-pkg")) {
      Path tree = work.resolve(name).resolve(example);  // a copy: a build writes .berth/ in its tree
      Berth.tool(work, "cp", "-r", EXAMPLES.resolve(example).toString(), tree.toString());
      Berth.tool(work, "rm", "-rf", tree.resolve(".berth").toString());
      List<String> build = new ArrayList<>(List.of("build", tree.toString(), "--store", store.toString(),
          "--output", "json"));
      build.addAll(options);
      JsonNode built = new ObjectMapper().readTree(run(berth, replay, build.toArray(new String[0])));
      String again = run(berth, replay, build.toArray(new String[0]));
      assertThat(new ObjectMapper().readTree(again).findValuesAsText("state")).as("a no-op after the build")
          .containsOnly("cached");
      for (JsonNode image : built.get("images")) {
        assertThat(image.get("state").asText()).isEqualTo("verified");
        String reference = image.get("references").get(0).asText();
        JsonNode inspected = new ObjectMapper().readTree(run(berth, replay, "inspect", reference, "--store",
            store.toString()));
        digests.put(image.get("name").asText(), inspected.get("digest").asText());
      }
    }
    return digests;
  }

  /** Runs {@code berth ARGS}, which must succeed, and returns its standard output. */
  private String run(List<String> berth, String replay, String... args) throws Exception {
    List<String> command = new ArrayList<>(berth);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(work.resolve("stderr.txt").toFile());
    builder.environment().put("BERTH_REPLAY", replay);
    builder.environment().put("BERTH_JAR", Berth.JAR.toString());
    builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
    builder.environment().remove("BERTH_DAEMON");
    builder.environment().remove("BERTH_JAVA_OPTS");
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(java.nio.file.Files.readString(work.resolve("stderr.txt"))).isZero();
    return out;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
