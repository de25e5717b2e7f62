package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class ShellWordsTest {
  private static final Map<String, String> VARIABLES = Map.of("A", "x", "EMPTY", "", "P", "/usr/bin");
  private final ShellWords words = new ShellWords(VARIABLES::get, '\\');

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "$A|x",
      "${A}y|xy",
      "pre$A-post|prex-post",
      "$UNSET|``",
      "${UNSET:-def}|def",
      "${EMPTY:-def}|def",
      "${EMPTY-def}|``",
      "${A:-def}|x",
      "${A:+alt}|alt",
      "${UNSET:+alt}|``",
      "${UNSET:-${A}z}|xz",
      "'$A'|$A",
      "\"$A b\"|x b",
      "\\$A|$A",
      "$P:/bin|/usr/bin:/bin",
      "cost $-5|cost $-5",
      "${UNSET:-\\${A}:}|${A:}",
      "${A:+${A}:}|x:",
      "${UNSET:-\\$A:}|$A:",
      "end\\|end",
  })
  void expands(String text, String expected) {
    assertThat(words.word(text)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void backtickEscapeLeavesBackslashesInPaths() {
    ShellWords backtick = new ShellWords(VARIABLES::get, '`');
    assertThat(backtick.words("a\\b /in\\dir/ x` y")).containsExactly("a\\b", "/in\\dir/", "x y");
  }

  @org.junit.jupiter.api.Test
  void firstRawWordKeepsQuotes() {
    assertThat(ShellWords.firstRawWord("\"key with space\"=v other", '\\')).containsExactly("\"key with space\"=v", "other");
    assertThat(ShellWords.firstRawWord("KEY some value", '\\')).containsExactly("KEY", "some value");
  }

  @org.junit.jupiter.api.Test
  void splitsOnUnquotedSpace() {
    assertThat(words.words("a=\"1 2\" b='$A c' d=$A")).containsExactly("a=1 2", "b=$A c", "d=x");
  }

  @org.junit.jupiter.api.Test
  void refusesBrokenSubstitutions() {
    assertThatThrownBy(() -> words.word("${UNSET:?must be set}")).hasMessage("UNSET: must be set");
    assertThatThrownBy(() -> words.word("${A")).hasMessageContaining("missing '}'");
    assertThatThrownBy(() -> words.word("'open")).hasMessageContaining("unterminated single quote");
    assertThatThrownBy(() -> words.word("${A/x/y}")).hasMessageContaining("unsupported substitution");
  }
}
