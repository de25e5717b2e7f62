package dev.berth.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangelogTest {
  @TempDir Path folder;

  @Test
  void bumpsTheLastNumber() {
    assertThat(Changelog.bump("1.0-3")).isEqualTo("1.0-4");
    assertThat(Changelog.bump("2.1")).isEqualTo("2.2");
    assertThat(Changelog.bump("0.9.9-1~bpo")).isEqualTo("0.9.9-2~bpo");
    assertThat(Changelog.bump("latest")).isEqualTo("latest-1");
  }

  @Test
  void prependsEntriesInDebianFormat() throws Exception {
    ZonedDateTime when = ZonedDateTime.of(2026, 11, 22, 10, 0, 0, 0, ZoneOffset.UTC);
    Changelog.prepend(folder, "python3", "3.11-1", "Initial image", "Jane <jane@example.org>", when);
    Changelog.prepend(folder, "python3", "3.11-2", "Security update", "Jane <jane@example.org>", when);
    assertThat(Changelog.read(folder)).map(Changelog::version).contains("3.11-2");
    assertThat(Files.readString(folder.resolve("changelog"))).isEqualTo("""
        python3 (3.11-2) unstable; urgency=medium

          * Security update

         -- Jane <jane@example.org>  Sun, 22 Nov 2026 10:00:00 +0000

        python3 (3.11-1) unstable; urgency=medium

          * Initial image

         -- Jane <jane@example.org>  Sun, 22 Nov 2026 10:00:00 +0000
        """);
  }

  @Test
  void aMalformedHeaderIsAnError() throws Exception {
    Files.writeString(folder.resolve("changelog"), "not a changelog\n");
    assertThatThrownBy(() -> Changelog.read(folder)).hasMessageContaining("changelog:1: not a Debian changelog");
  }
}
