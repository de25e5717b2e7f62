package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Templates render as docker-pkg renders them. The expected Dockerfiles under
 * {@code docker-pkg-render/expected} were rendered by docker-pkg itself (Jinja2) from the fixture
 * tree next to them, with bench/scripts/dockerpkg-oracle.py.
 */
@Tag("unit")
class DockerPkgTemplatesTest {
  private static final Path FIXTURES = Path.of("src", "test", "resources", "docker-pkg-render").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void everyFixtureRendersAsDockerPkgRendersIt() throws IOException {
    Path tree = FIXTURES.resolve("tree");
    List<DockerPkgTree.Rendered> rendered = DockerPkgTree.render(tree,
        DockerPkgConfig.load(tree.resolve("config.yaml"), null), true, new ArrayList<>());
    assertThat(rendered).hasSize(5);
    for (DockerPkgTree.Rendered image : rendered) {
      assertThat(image.error()).as(image.name()).isNull();
      String expected = Files.readString(FIXTURES.resolve("expected").resolve(image.name() + ".Dockerfile"));
      assertThat(image.dockerfile()).as(image.name()).isEqualTo(expected);
    }
  }

  @Test
  void literalsAreDecodedAndJoinedAsPythonDoes() {
    assertThat(render("{{ \"a \\\nb\" }}|{{ \"\"\"x y\"\"\" }}|{{ 'it''s' }}|{{ \"\\x41\\101\\u00e9\\q\" }}"))
        .isEqualTo("a b|x y|its|AA\u00e9\\q");
    assertThat(render("{{ \"%}\" }}{{ '}}' }}")).isEqualTo("%}}}");
  }

  @Test
  void blockSetWithAFilter() {
    assertThat(render("{% set p | replace('\\n', ' ') -%}\na\nb\n{%- endset -%}\n[{{ p }}]")).isEqualTo("[a b]");
  }

  @Test
  void pythonValuesPrintAsPythonPrintsThem() {
    assertThat(render("{{ http_proxy }} {{ force_numeric_user }} {{ verify_args }} {{ known_uid_mappings }}"))
        .isEqualTo("None False ['-c', '{path}/test.sh {image}'] {'root': 0, 'www-data': 33, 'nobody': 65534}");
    assertThat(render("{% if http_proxy %}yes{% else %}no{% endif %} {{ None is none }} {{ True }}"))
        .isEqualTo("no True True");
  }

  @Test
  void oneTrailingNewlineIsDroppedAndCrLfIsNormalised() {
    assertThat(render("a\r\nb\n\n")).isEqualTo("a\nb\n");
  }

  @Test
  void errorsNameTheTemplateAndLine() {
    assertError("FROM x\n{{ 'a' | nosuch }}", 2, "no filter named 'nosuch'");
    assertError("FROM x\n\n{% if %}", 3, "");
    assertError("FROM x\n{{ undefined_thing }}", 2, "'undefined_thing' is undefined");
    assertError("FROM x\n{{ 'ghost' | image_tag }}", 2, "image_tag: no image ghost in the tree or in base_images");
    assertError("FROM x\n{{ 'x' }", 2, "the tag opened here is never closed with '}}'");
    assertError("FROM x\n{{ 'x }}", 2, "the string opened here is never closed");
    assertError("{# open", 1, "the comment opened here is never closed");
    assertError("{% include 'other' %}", 1, "'include' of other templates is not supported");
    assertError("{{ 'someone' | add_user }}", 1, "add_user: no known_uid_mappings entry for user 'someone'");
    assertError("{{ 'nocolon' | upstream_version }}", 1, "upstream_version: 'nocolon' is not one name:tag");
  }

  @Test
  void imageTagNeedsATagAsInDockerPkg() {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of("registry", "r.example",
        "base_images", List.of("r.example/untagged", "r.example/bookworm:12")), null, Map.of());
    DockerPkgTemplates templates = new DockerPkgTemplates(config, config.baseImages());
    assertThat(templates.render(dir.resolve("t"), "{{ 'bookworm' | image_tag }}").dockerfile()).isEqualTo("r.example/bookworm:12");
    assertThatThrownBy(() -> templates.render(dir.resolve("t"), "{{ 'untagged' | image_tag }}"))
        .hasMessageContaining("no image r.example/untagged");
  }

  @Test
  void aptFiltersWithAProxyMatchDockerPkg() {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of("http_proxy", "http://proxy:3128"), null, Map.of());
    DockerPkgTemplates templates = new DockerPkgTemplates(config, List.of());
    assertThat(templates.render(dir.resolve("t"), "{{ 'a\nb' | apt_install }}").dockerfile()).isEqualTo(
        "echo 'Acquire::http::Proxy \"http://proxy:3128\";' > /etc/apt/apt.conf.d/80_proxy \\\n"
            + "    && apt-get update  \\\n    && DEBIAN_FRONTEND=noninteractive \\\n"
            + "    apt-get install  --yes a b --no-install-recommends \\\n"
            + "    && rm -f /etc/apt/apt.conf.d/80_proxy \\\n    && apt-get clean && rm -rf /var/lib/apt/lists/* ");
    assertThat(templates.render(dir.resolve("t"), "{{ 'a' | apt_remove }}").dockerfile()).isEqualTo(
        "echo 'Acquire::http::Proxy \"http://proxy:3128\";' > /etc/apt/apt.conf.d/80_proxy  && \\"
            + "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get remove --yes --purge a \\\n"
            + "    && rm -f /etc/apt/apt.conf.d/80_proxy \\\n    && apt-get clean && rm -rf /var/lib/apt/lists/* ");
  }

  @Test
  void uidOfAnUnmappedUserWarnsTypedAndKeepsTheName() {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of("known_uid_mappings", Map.of("www", "33")), null, Map.of());
    DockerPkgTemplates templates = new DockerPkgTemplates(config, List.of());
    DockerPkgTemplates.Rendering rendering = templates.render(dir.resolve("t"),
        "USER {{ 'www' | uid }}:{{ 'nobody' | uid }}");
    assertThat(rendering.dockerfile()).isEqualTo("USER 33:nobody");
    assertThat(rendering.warnings()).containsExactly(new TemplateWarning.UnmappedUser("nobody"));
    assertThat(rendering.warnings().get(0).message())
        .isEqualTo("uid: no known_uid_mappings entry for user 'nobody'; the name is used as it is");
    assertThat(templates.render(dir.resolve("t"), "USER {{ 'www' | uid }}").warnings()).isEmpty();
  }

  @Test
  void upstreamVersionReadsDebianVersions() {
    assertThat(DockerPkgFilters.upstreamVersion("r/app:1.63.0-1-20241211")).isEqualTo("1.63.0");
    assertThat(DockerPkgFilters.upstreamVersion("r/app:2.0")).isEqualTo("2.0");
    assertThat(DockerPkgFilters.upstreamVersion("r/app:1.2-3-s1")).isEqualTo("1.2");
    assertThatThrownBy(() -> DockerPkgFilters.upstreamVersion("r/app:1.2-3-s1:x"))
        .isInstanceOf(DockerPkgFilters.Failure.class);
  }

  private String render(String template) {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of(), null, Map.of());
    return new DockerPkgTemplates(config, List.of()).render(dir.resolve("Dockerfile.template"), template).dockerfile();
  }

  private void assertError(String template, int line, String message) {
    assertThatThrownBy(() -> render(template)).isInstanceOf(SpecException.class)
        .hasMessageStartingWith(dir.resolve("Dockerfile.template") + ":" + line + ": " + message)
        .hasMessageNotContaining("\n");
  }
}
