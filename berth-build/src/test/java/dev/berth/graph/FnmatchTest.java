package dev.berth.graph;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Cases checked against Python's fnmatch.fnmatch. */
@Tag("unit")
class FnmatchTest {
  @Test
  void matchesAsPythonsFnmatch() {
    assertThat(Fnmatch.matches("*python*", "docker-registry.wikimedia.org/python3-build-bullseye:0.1.0")).isTrue();
    assertThat(Fnmatch.matches("*base:*", "reg/ns/base:1.0.0-s1")).isTrue();
    assertThat(Fnmatch.matches("*base:*", "reg/ns/base-extra")).isFalse();
    assertThat(Fnmatch.matches("reg/?ase:1.[0-9]", "reg/base:1.5")).isTrue();
    assertThat(Fnmatch.matches("reg/[!b]ase:*", "reg/base:1")).isFalse();
    assertThat(Fnmatch.matches("a[b", "a[b")).isTrue();
    assertThat(Fnmatch.matches("a.b", "axb")).isFalse();
    assertThat(Fnmatch.matches("*Base*", "base")).isFalse();
  }
}
