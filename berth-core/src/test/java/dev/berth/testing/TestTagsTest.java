package dev.berth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every test class says which tier it belongs to, so {@code mvn test -Dgroups=unit} runs exactly the
 * tests that need no external tool: {@code unit}, or the tools it needs (registry, skopeo, umoci,
 * runc, dockerd, …), and {@code integration} for the {@code *IT} classes.
 */
@Tag("unit")
class TestTagsTest {
  private static final Pattern TAG = Pattern.compile("^@Tag\\(\"[a-z]+\"\\)", Pattern.MULTILINE);

  @Test
  void everyTestClassOfEveryModuleIsTagged() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    List<String> untagged;
    try (Stream<Path> files = Files.walk(root, 12)) {
      untagged = files
          .filter(file -> file.toString().contains("/src/test/java/") && file.toString().endsWith(".java"))
          .filter(file -> !file.toString().contains("/target/"))
          .filter(TestTagsTest::hasTests)
          .filter(file -> !TAG.matcher(read(file)).find())
          .map(file -> root.relativize(file).toString())
          .sorted()
          .toList();
    }
    assertThat(untagged).as("test classes without a tier tag (@Tag(\"unit\") or the tools they need)").isEmpty();
  }

  @Test
  void integrationTestsAreNeverInTheUnitTier() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    try (Stream<Path> files = Files.walk(root, 12)) {
      List<String> wrong = files.filter(file -> file.getFileName().toString().endsWith("IT.java"))
          .filter(file -> !file.toString().contains("/target/"))
          .filter(file -> read(file).contains("@Tag(\"unit\")"))
          .map(file -> root.relativize(file).toString())
          .toList();
      assertThat(wrong).isEmpty();
    }
  }

  /**
   * Integration test classes run two at a time, so a class that uses the machine's Docker engine holds
   * its lock; only a class that starts engines of its own ({@code scripts/test-engines}) may go without.
   */
  @Test
  void classesOnTheSharedDockerEngineHoldItsLock() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    try (Stream<Path> files = Files.walk(root, 12)) {
      List<String> unlocked = files.filter(file -> file.getFileName().toString().endsWith("IT.java"))
          .filter(file -> !file.toString().contains("/target/"))
          .filter(file -> read(file).contains("@Tag(\"dockerd\")"))
          .filter(file -> !read(file).contains("@ResourceLock(SharedResources.DOCKER_ENGINE)"))
          .filter(file -> !read(file).contains("scripts/test-engines"))
          .map(file -> root.relativize(file).toString())
          .toList();
      assertThat(unlocked).as("dockerd classes without @ResourceLock(SharedResources.DOCKER_ENGINE)").isEmpty();
    }
  }

  private static boolean hasTests(Path file) {
    String text = read(file);
    return text.contains("@Test") || text.contains("@ParameterizedTest");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
