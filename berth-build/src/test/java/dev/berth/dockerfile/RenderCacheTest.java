package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kept renderings are what a rendering gives, and are found only for the same inputs. */
@Tag("unit")
class RenderCacheTest {
  private static final Path TREE = Path.of("src", "test", "resources", "docker-pkg-render", "tree").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void aTreeReadFromTheCacheIsTheTreeRendered() throws IOException {
    RenderCache cache = RenderCache.in(dir.resolve("renders"));
    DockerPkgTree.Tree rendered = DockerPkgTree.load(TREE, null, Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE,
        Map.of(), RenderCache.NONE);
    DockerPkgTree.Tree first = DockerPkgTree.load(TREE, null, Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE,
        Map.of(), cache);
    try (var entries = Files.list(dir.resolve("renders"))) {
      assertThat(entries.count()).isEqualTo(rendered.images().stream().map(spec -> spec.folder()).distinct().count());
    }
    DockerPkgTree.Tree cached = DockerPkgTree.load(TREE, null, Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE,
        Map.of(), cache);
    for (DockerPkgTree.Tree tree : List.of(first, cached)) {
      assertThat(tree.images()).isEqualTo(rendered.images());
      assertThat(tree.dependencies()).isEqualTo(rendered.dependencies());
      assertThat(tree.failures()).isEqualTo(rendered.failures());
      assertThat(tree.warnings()).isEqualTo(rendered.warnings());
    }
  }

  @Test
  void filterWarningsAreKeptWithTheRendering() {
    RenderCache.Scope scope = RenderCache.in(dir).scope(DockerPkgConfig.empty(), List.of());
    String key = scope.key("USER {{ 'someone' | uid }}").orElseThrow();
    scope.put(key, new RenderCache.Entry("USER someone", List.of(new TemplateWarning.UnmappedUser("someone"))));
    assertThat(scope.get(key)).contains(new RenderCache.Entry("USER someone", List.of(new TemplateWarning.UnmappedUser("someone"))));
  }

  @Test
  void theKeyChangesWithTheTemplateTheConfigValuesAndTheImagesImageTagCanName() throws IOException {
    RenderCache cache = RenderCache.in(dir);
    DockerPkgConfig config = DockerPkgConfig.empty();
    String key = cache.scope(config, List.of("r/a:1")).key("FROM x").orElseThrow();
    assertThat(cache.scope(config, List.of("r/a:1")).key("FROM x")).contains(key);
    assertThat(cache.scope(config, List.of("r/a:1")).key("FROM y")).isNotEqualTo(java.util.Optional.of(key));
    assertThat(cache.scope(config, List.of("r/a:2")).key("FROM x")).isNotEqualTo(java.util.Optional.of(key));
    Path changed = Files.writeString(dir.resolve("config.yaml"), "namespace: other\n");
    assertThat(cache.scope(DockerPkgConfig.load(changed), List.of("r/a:1")).key("FROM x"))
        .isNotEqualTo(java.util.Optional.of(key));
  }

  @Test
  void valuesAreKeyedWithTheirTypesAndOrder() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", 1);
    ab.put("b", "1");
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", "1");
    ba.put("a", 1);
    Map<String, Object> strings = Map.of("a", "1");
    assertThat(canonical(ab)).isNotEqualTo(canonical(ba));
    assertThat(canonical(Map.of("a", 1))).isNotEqualTo(canonical(strings));
    assertThat(canonical(List.of("a,b"))).isNotEqualTo(canonical(List.of("a", "b")));
  }

  @Test
  void templatesThatCanRenderDifferentlyAreNotKept() {
    RenderCache.Scope scope = RenderCache.in(dir).scope(DockerPkgConfig.empty(), List.of());
    assertThat(scope.key("RUN head -c 16 /dev/urandom > /stamp")).isPresent();
    assertThat(scope.key("RUN echo {{ [1, 2] | random }}")).isEmpty();
    assertThat(scope.key("{% set d = today() %}RUN echo {{ d }}")).isEmpty();
    assertThat(RenderCache.NONE.scope(DockerPkgConfig.empty(), List.of()).key("FROM x")).isEmpty();
  }

  @Test
  void anEntryThatCannotBeReadIsAMiss() throws IOException {
    RenderCache.Scope scope = RenderCache.in(dir).scope(DockerPkgConfig.empty(), List.of());
    String key = scope.key("FROM x").orElseThrow();
    scope.put(key, new RenderCache.Entry("FROM x", List.of()));
    byte[] whole = Files.readAllBytes(dir.resolve(key));
    Files.write(dir.resolve(key), java.util.Arrays.copyOf(whole, whole.length - 2));
    assertThat(scope.get(key)).isEmpty();
    Files.writeString(dir.resolve(key), "garbage");
    assertThat(scope.get(key)).isEmpty();
  }

  private static String canonical(Object value) {
    StringBuilder out = new StringBuilder();
    RenderCache.canonical(value, out);
    return out.toString();
  }
}
