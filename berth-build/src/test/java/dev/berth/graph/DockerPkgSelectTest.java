package dev.berth.graph;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --select} on a docker-pkg tree matches {@code registry/namespace/name:tag} with fnmatch, as docker-pkg's. */
@Tag("unit")
class DockerPkgSelectTest {
  private static final Path TREE = Path.of("src", "test", "resources", "docker-pkg-render", "tree").toAbsolutePath();

  @Test
  void globsMatchDockerPkgLabelsWithFnmatchAndNamesAsBefore() throws Exception {
    ImageGraph graph = TreeScanner.scan(TREE, TreeScanner.Options.DEFAULT).graph();
    // fnmatch's * crosses slashes; the tag counts
    assertThat(graph.matching(List.of("*fixtures/s*"))).containsExactly("setblock");
    assertThat(graph.matching(List.of("registry.example.test/fixtures/*:1.0-1"))).containsExactly("literals");
    assertThat(graph.matching(List.of("*:[23]*"))).containsExactlyInAnyOrder("setblock", "whitespace");
    assertThat(graph.matching(List.of("*/values:?"))).containsExactly("values");
    // berth's own name globs still work
    assertThat(graph.matching(List.of("filters-image"))).containsExactly("filters-image");
    assertThatThrownBy(() -> graph.matching(List.of("*:9*"))).isInstanceOf(GraphException.class)
        .hasMessageContaining("matches no image");
    // case counts, as in docker-pkg (fnmatchcase on POSIX)
    assertThatThrownBy(() -> graph.matching(List.of("*/VALUES:*"))).isInstanceOf(GraphException.class);
  }
}
