package dev.berth.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Image paths as layers name them; the plain-path shortcut gives what the full rules give. */
@Tag("unit")
class LayerPathTest {
  @ParameterizedTest
  @CsvSource(value = {
      "srv/app|srv/app", "/srv/app|srv/app", "./a/b/|a/b", "a//b|a/b", "a/./b|a/b", "a/././b|a/./b",
      "''|''", "/|''", "./|''", ".|.", "...|...", "a/.b/c.|a/.b/c.", "a/..b|a/..b", ".hidden|.hidden",
      "a/b\\\\c|a/b\\\\c", "naïve/ü|naïve/ü", "//a///b//|a/b", "a/.|a/."}, delimiter = '|')
  void normalizesAsBefore(String input, String expected) {
    assertThat(LayerBuilder.normalize(input)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"..", "../a", "a/../b", "a/..", "/a/b/../../.."})
  void refusesPathsThatLeaveTheRoot(String input) {
    assertThatThrownBy(() -> LayerBuilder.normalize(input)).isInstanceOf(IllegalArgumentException.class);
  }
}
