package dev.berth.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ReplayKeyTest {
  @TempDir Path dir;

  private ReplayKey key(List<String> args, Map<String, String> environment) throws IOException {
    Path jar = dir.resolve("berth.jar");
    if (!Files.exists(jar)) {
      Files.writeString(jar, "jar");
    }
    return ReplayKey.of(jar, args, dir, environment, false, false);
  }

  @Test
  void variablesBerthDoesNotReadAreNotPartOfTheKey() throws Exception {
    ReplayKey plain = key(List.of("build", "."), Map.of("HOME", "/root"));
    // hyperfine sets a variable of its own to a new value on every run; shells move these
    ReplayKey other = key(List.of("build", "."), Map.of("HOME", "/root",
        "HYPERFINE_RANDOMIZED_ENVIRONMENT_OFFSET", "123", "SHLVL", "3", "_", "/usr/bin/berth", "BERTH_REPLAY", "explain"));
    assertThat(other.sameAs(plain)).isTrue();
    assertThat(other.fileName()).isEqualTo(plain.fileName()).hasSize(16);
  }

  @Test
  void argumentsVariablesBerthReadsAndTheJarArePartOfTheKey() throws Exception {
    ReplayKey plain = key(List.of("build", "."), Map.of("HOME", "/root"));
    assertThat(key(List.of("build", ".", "--select", "a"), Map.of("HOME", "/root")).sameAs(plain)).isFalse();
    assertThat(key(List.of("build", "."), Map.of("HOME", "/root", "BERTH_STORE", "/s")).sameAs(plain)).isFalse();
    assertThat(key(List.of("build", "."), Map.of("HOME", "/root", "https_proxy", "http://p")).sameAs(plain)).isFalse();
    assertThat(key(List.of("build", "."), Map.of("HOME", "/root", "LC_ALL", "C")).sameAs(plain)).isFalse();
    Files.writeString(dir.resolve("berth.jar"), "a newer berth");
    assertThat(key(List.of("build", "."), Map.of("HOME", "/root")).sameAs(plain)).isFalse();
  }

  @Test
  void aProxyPasswordIsNeverInTheKeyYetAnotherProxyIsAnotherKey() throws Exception {
    ReplayKey proxied = key(List.of("build", "."), Map.of("HTTPS_PROXY", "http://alice:s3cr3t-word@proxy:3128"));
    assertThat(proxied.text()).contains("HTTPS_PROXY").doesNotContain("s3cr3t-word").doesNotContain("alice");
    ReplayKey other = key(List.of("build", "."), Map.of("HTTPS_PROXY", "http://alice:another@proxy:3128"));
    assertThat(other.sameAs(proxied)).isFalse();
  }

  @Test
  void aCommandLineWithCredentialsIsNeitherLookedUpNorRecorded() throws Exception {
    Path jar = dir.resolve("berth.jar");
    Files.writeString(jar, "jar");
    Map<String, String> environment = Map.of("XDG_CACHE_HOME", dir.toString());
    assertThat(Replays.forCommand(new String[] {"build", "."}, environment, jar)).isPresent();
    assertThat(Replays.forCommand(new String[] {"build", ".", "--creds", "u:p"}, environment, jar)).isEmpty();
    assertThat(Replays.forCommand(new String[] {"plan", "--creds=u:p", "."}, environment, jar)).isEmpty();
  }

  @Test
  void aRunOnATerminalIsNotReplayedToAFileNorTheOtherWay() throws Exception {
    Path jar = dir.resolve("berth.jar");
    Files.writeString(jar, "jar");
    ReplayKey files = ReplayKey.of(jar, List.of("build"), dir, Map.of(), false, false);
    assertThat(ReplayKey.of(jar, List.of("build"), dir, Map.of(), true, false).sameAs(files)).isFalse();
    assertThat(ReplayKey.of(jar, List.of("build"), dir, Map.of(), false, true).sameAs(files)).isFalse();
  }

  @Test
  void anArgumentHoldingANewlineCannotPassForTwo() throws Exception {
    assertThat(key(List.of("build", "a\narg b"), Map.of()).sameAs(key(List.of("build", "a", "b"), Map.of())))
        .isFalse();
  }

  /**
   * Every environment variable berth's sources read by name is part of the key: a new one read
   * without being added to {@link ReplayKey#READ} would let a replay ignore a change of it.
   */
  @Test
  void everyVariableBerthsSourcesReadIsKeyed() throws IOException {
    Pattern read = Pattern.compile("(?:getenv|environment\\(\\)\\.get|(?:environment|env)\\.get(?:OrDefault)?)\\(\"([A-Za-z_]+)\"");
    Set<String> names = new TreeSet<>();
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".java") && path.toString().contains("/src/main/"))
          .toList()) {
        Matcher matcher = read.matcher(Files.readString(file));
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      }
    }
    assertThat(names).as("variables read by name").contains("BERTH_STORE", "DOCKER_HOST", "XDG_CACHE_HOME");
    assertThat(names).filteredOn(name -> !name.equals("BERTH_REPLAY")).allMatch(ReplayKey::keyed);
  }
}
