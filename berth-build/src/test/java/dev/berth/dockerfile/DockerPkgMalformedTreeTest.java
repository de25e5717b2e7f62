package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.graph.GraphException;
import dev.berth.graph.TreeScanner;
import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scans of malformed docker-pkg trees: whatever goes wrong is berth's own one-line error (or an
 * image's failure), never a NullPointerException or another runtime exception of the JVM's.
 */
@Tag("unit")
class DockerPkgMalformedTreeTest {
  private static final List<String> TEMPLATES = List.of(
      "FROM {{ 'base' | image_tag }}\nRUN true\n",
      "FROM scratch\n{% set x | upper %}a{% endset %}\nLABEL x={{ x }}\n",
      "{{ }}", "{% %}", "{{ 'a' | }}", "{% set %}", "{% endset %}", "{% if %}{% endif %}", "{% for %}",
      "{{ 'x' | image_tag | upstream_version }}", "{{ 1 / 0 }}", "{{ none.attr }}", "{{ [1,2][5] }}",
      "{{ {'a': 1}['b'] }}", "{{ 'a' ~ }}", "FROM\n", "ADD a /a\n", "FROM scratch\nCOPY --from= / /\n",
      "FROM scratch\nUSER\n", "FROM {{ 'self' | image_tag }}\n", "{{ \"\\x4\" }}", "{{ \"\\N{DASH}\" }}",
      "FROM scratch\nENV A=${", "{% raw %}", "{#", "{{ 'a' | apt_install(1) }}", "{{ [1] | apt_install }}",
      "{{ 'x' | add_user }}", "{% include 'x' %}", "{% macro m() %}{% endmacro %}{{ m() }}", "\u0000\uFFFF",
      "{{ registry.foo.bar }}", "{{ known_uid_mappings.nobody.x }}", "{% set a = %}", "FROM scratch AS\n",
      "FROM scratch\n\u0001binary\n");
  private static final List<String> CHANGELOGS = List.of(
      "NAME (1.0) wikimedia; urgency=medium\n",
      "NAME 1.0 wikimedia\n", "", "\n\n", "(1.0) x; urgency=low\n", "NAME (1.0\n", "Name (1.0) x; urgency=low\n");
  private static final List<String> CONFIGS = List.of("", "registry: r\n", "- a\n", "registry: [\n", "base_images: x\n",
      "known_uid_mappings: 3\n", "namespace: {a: 1}\n", "force_numeric_user: true\n", "scan_workers: many\n", "~\n");
  private static final List<String> CONTROLS = List.of("", "Depends: base\n", "Depends: self\n", "Depends: ,,\n",
      "Build-Depends:\n  base,\n  other\n", ":\n", "Depends base\n");

  @TempDir Path root;

  @Test
  void noForeignRuntimeExceptionEscapesAScan() throws IOException {
    Random random = new Random(11);
    for (int round = 0; round < 120; round++) {
      Path tree = Files.createDirectories(root.resolve("t" + round));
      Files.writeString(tree.resolve("config.yaml"), pick(random, CONFIGS));
      int images = 1 + random.nextInt(3);
      for (int i = 0; i < images; i++) {
        String name = i == 0 ? "base" : i == 1 ? "self" : "other";
        Path folder = Files.createDirectories(tree.resolve(name));
        Files.writeString(folder.resolve("Dockerfile.template"), pick(random, TEMPLATES));
        Files.writeString(folder.resolve("changelog"), pick(random, CHANGELOGS).replace("NAME", name));
        Files.writeString(folder.resolve("control"), pick(random, CONTROLS));
      }
      try {
        TreeScanner.scan(tree, (dev.berth.oci.Platform) null);
        DockerPkgTree.render(tree, null, new java.util.ArrayList<>());
      } catch (dev.berth.text.TextFileException | GraphException e) {
        assertThat(e.getMessage()).as("round %d", round).doesNotContain("\n").contains(tree.toString());
      } catch (RuntimeException e) {
        throw new AssertionError("round " + round + " in " + tree + ": " + e, e);
      }
    }
  }

  private static String pick(Random random, List<String> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
