package dev.berth.layer;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** .dockerignore semantics, as Docker's pattern matcher has them. */
@Tag("unit")
class IgnoreRulesTest {
  @ParameterizedTest(name = "{0} | {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "*.log                      | app.log             | true",
      "*.log                      | sub/app.log         | false",
      "**/*.log                   | sub/deep/app.log    | true",
      "**/*.log                   | app.log             | true",
      "/build                     | build/out.o         | true",
      "./build                    | build               | true",
      "build                      | src/build           | false",
      "tmp?                       | tmp1                | true",
      "tmp?                       | tmp12               | false",
      "[a-c].txt                  | b.txt               | true",
      "[a-c].txt                  | d.txt               | false",
      "*.md;!README.md            | README.md           | false",
      "*.md;!README.md            | NOTES.md            | true",
      "docs;!docs/keep.txt        | docs/keep.txt       | false",
      "docs;!docs/keep.txt        | docs/other.txt      | true",
      "!a.txt;*.txt               | a.txt               | true",
      "# comment;;  spaced.txt    | spaced.txt          | true",
      "a/../b                     | b                   | true",
      "**                         | anything/at/all     | true",
      "node_modules               | node_modules/x/y.js | true",
  })
  void matchesLikeDocker(String patterns, String path, boolean excluded) {
    IgnoreRules rules = IgnoreRules.parse(List.of(patterns.split(";")));
    assertThat(rules.isExcluded(path)).isEqualTo(excluded);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "docs;!docs/keep.txt | docs | true",
      "docs                | docs | false",
  })
  void knowsWhenAnExcludedDirectoryMayHoldExceptions(String patterns, String dir, boolean may) {
    assertThat(IgnoreRules.parse(List.of(patterns.split(";"))).mayHaveIncludedChildren(dir)).isEqualTo(may);
  }

  @org.junit.jupiter.api.Test
  void readsAByteOrderMarkAndLeadingSpacesAsDockerDoes() {
    IgnoreRules rules = IgnoreRules.parse(java.util.List.of("\uFEFF*.md", "   *.log", "\t sub/*.tmp  "));
    assertThat(rules.isExcluded("README.md")).isTrue();
    assertThat(rules.isExcluded("a.log")).isTrue();
    assertThat(rules.isExcluded("sub/x.tmp")).isTrue();
    assertThat(rules.isExcluded("keep")).isFalse();
  }

  @org.junit.jupiter.api.Test
  void refusesALoneExclamationMarkWithItsLine() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> IgnoreRules.parse(java.util.List.of("*.md", "!")))
        .isInstanceOf(dev.berth.text.TextFileException.class)
        .hasMessage(".dockerignore:2: illegal exclusion pattern '!'");
  }
}
