package dev.berth.spec;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ChangelogTest {
  @TempDir Path folder;

  @Test
  void nextVersionsAreDockerPkgs() {
    assertThat(Changelog.nextVersion("1.0.0", "s")).isEqualTo("1.0.0-s1");
    assertThat(Changelog.nextVersion("0.2.0-s3", "s")).isEqualTo("0.2.0-s4");
    assertThat(Changelog.nextVersion("1.0-2", "s")).isEqualTo("1.0-2-s1");
    assertThat(Changelog.nextVersion("2.1-7", "")).isEqualTo("2.1-8");
    assertThat(Changelog.nextVersion("3.9-u1", "u")).isEqualTo("3.9-u2");
    assertThatThrownBy(() -> Changelog.nextVersion("1.2~bpo1", "s")).hasMessageContaining("give --version");
  }

  /** Byte for byte what docker-pkg's update wrote for the same entry (python-debian, %e day padding). */
  @Test
  void entriesAreWrittenAsDockerPkgWritesThem() throws Exception {
    Files.writeString(folder.resolve("changelog"), """
        child (0.2.0-s3) wikimedia; urgency=medium

          * Initial.

         -- A B <a@b.c>  Mon, 01 Jan 2024 00:00:00 +0000
        """);
    ZonedDateTime when = ZonedDateTime.of(2026, 12, 3, 12, 48, 58, 0, ZoneOffset.UTC);
    Changelog.prepend(folder, new Changelog.Entry("child", "0.2.0-s4", "wikimedia", "high",
        "Refresh for update in parent image base:\nLine one\nline two", "Jane Doe <jane@example.org>", when));
    assertThat(Changelog.read(folder)).map(Changelog::version).contains("0.2.0-s4");
    assertThat(Files.readString(folder.resolve("changelog"))).isEqualTo("""
        child (0.2.0-s4) wikimedia; urgency=high

           Refresh for update in parent image base:
           Line one
           line two

         -- Jane Doe <jane@example.org>  Thu,  3 Dec 2026 12:48:58 +0000

        child (0.2.0-s3) wikimedia; urgency=medium

          * Initial.

         -- A B <a@b.c>  Mon, 01 Jan 2024 00:00:00 +0000
        """);
  }

  @Test
  void theAuthorComesFromDebianVariablesThenGitThenTheFallback() {
    Map<String, Optional<String>> git = Map.of("user.name", Optional.of("Git Name"), "user.email", Optional.of("g@it"));
    assertThat(Changelog.author(Map.of("DEBFULLNAME", "Deb", "DEBEMAIL", "d@eb"), git::get, "Author", "email@domain"))
        .isEqualTo("Deb <d@eb>");
    assertThat(Changelog.author(Map.of(), git::get, "Author", "email@domain")).isEqualTo("Git Name <g@it>");
    assertThat(Changelog.author(Map.of(), key -> Optional.empty(), "Author", "email@domain"))
        .isEqualTo("Author <email@domain>");
  }

  @Test
  void aMalformedHeaderIsAnErrorOnItsLine() throws Exception {
    Files.writeString(folder.resolve("changelog"), "\nnot a changelog\n");
    assertThatThrownBy(() -> Changelog.read(folder)).hasMessageContaining("changelog:2: not a Debian changelog");
  }
}
