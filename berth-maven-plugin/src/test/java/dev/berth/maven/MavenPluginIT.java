package dev.berth.maven;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/maven-plugin with real Maven: {@code mvn package} builds the sample's image into berth's
 * store through the plugin (its tree's JRE base first), the image's check runs the sample's main class
 * under runc and prints its greeting, {@code berth store ls} lists the image, and a second package
 * builds nothing.
 */
@Tag("integration")
@Tag("runc")
@Tag("mvn")
class MavenPluginIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void mvnPackageBuildsTheSampleImageWhoseMainRunsUnderRunc() throws Exception {
    // The plugin and the API as `mvn install` puts them in the local repository, then the sample as a user runs it.
    run(REPO, Map.of(), "mvn", "-B", "-q", "-o", "install", "-DskipTests", "-pl", "berth-maven-plugin", "-am");
    Path store = work.resolve("store");
    String debian = run(REPO, Map.of(), REPO.resolve("scripts/make-debian-base").toString(), "bookworm").strip();
    Path jar = REPO.resolve("berth-cli/target/berth.jar");
    run(REPO, Map.of(), "java", "-jar", jar.toString(), "import", debian, "--as", "examples/debian:bookworm",
        "--store", store.toString());
    Path sample = copySample();

    String first = run(sample, Map.of(), "mvn", "-B", "-o", "package", "-Dberth.store=" + store);
    assertThat(first).contains("maven-plugin-sample | hello berth from the berth maven plugin sample")
        .contains("maven-plugin-sample: step 1/2 copy").contains("BUILD SUCCESS");
    String listed = run(REPO, Map.of(), "java", "-jar", jar.toString(), "store", "ls", "--store", store.toString());
    assertThat(listed).containsPattern("(?m)^maven-plugin-sample:[0-9a-f]{24} ");

    String again = run(sample, Map.of(), "mvn", "-B", "-o", "package", "-Dberth.store=" + store);
    assertThat(again).doesNotContain("maven-plugin-sample: building").contains("BUILD SUCCESS");
  }

  /** The sample project, without what earlier runs left in it. */
  private Path copySample() throws IOException {
    Path from = REPO.resolve("examples/maven-plugin");
    Path to = work.resolve("sample");
    try (var walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        String relative = from.relativize(source).toString();
        if (relative.startsWith("target") || relative.contains(".berth")) {
          continue;
        }
        Path target = to.resolve(relative);
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    return to;
  }

  private String run(Path directory, Map<String, String> environment, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of(command));
    Path output = Files.createTempFile(work, "out-", ".log");
    ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("%s finished", argv).isTrue();
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s exit status; output:%n%s", argv, tail(text)).isZero();
    return text;
  }

  private static String tail(String text) {
    return text.length() < 6000 ? text : text.substring(text.length() - 6000);
  }
}
