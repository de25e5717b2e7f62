package dev.berth.spec;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ImageSpecParserTest {
  @TempDir Path dir;

  private final ImageSpecParser parser = new ImageSpecParser(Platform.LINUX_AMD64);

  private ImageSpec parse(String yaml) throws Exception {
    Path folder = Files.createDirectories(dir.resolve("web"));
    Files.writeString(folder.resolve("image.yaml"), yaml);
    return parser.parse(folder);
  }

  private org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> parseError(String yaml) {
    return assertThatThrownBy(() -> parse(yaml)).isInstanceOf(SpecException.class);
  }

  @Test
  void expandsSugarKeysInTheFixedOrder() throws Exception {
    ImageSpec spec = parse("""
        base: python-base
        copy:
          - {src: app/, dest: /srv/app, owner: "app:app", mode: "0644"}
        layers:
          - src: layers/common
        run:
          - useradd --system app
          - [echo, exec form]
        pip: [flask==3.0.3]
        apt: [curl]
        entrypoint: [python3, -m, app]
        expose: ["8080", "53/udp"]
        """);
    assertThat(spec.name()).isEqualTo("web");
    assertThat(spec.base()).isEqualTo("python-base");
    assertThat(spec.steps()).containsExactly(
        new StepSpec.Apt(List.of("curl")),
        new StepSpec.Pip(List.of("flask==3.0.3")),
        new StepSpec.Run(new Command.Shell("useradd --system app")),
        new StepSpec.Run(new Command.Exec(List.of("echo", "exec form"))),
        new StepSpec.Layer("layers/common", "/opt"),
        new StepSpec.Copy("app/", "/srv/app", "app:app", "0644"));
    assertThat(spec.config().expose()).containsExactly("8080/tcp", "53/udp");
    assertThat(spec.tags()).containsExactly("{key}");
    assertThat(spec.network()).isEqualTo(ImageSpec.Network.NONE);
  }

  @Test
  void explicitStepsKeepTheirOrder() throws Exception {
    ImageSpec spec = parse("""
        steps:
          - copy: {src: a, dest: /a}
          - run: make
          - env: {MODE: prod}
          - apt: [jq]
        """);
    assertThat(spec.steps()).hasSize(4);
    assertThat(spec.steps().get(0)).isInstanceOf(StepSpec.Copy.class);
    assertThat(spec.steps().get(3)).isEqualTo(new StepSpec.Apt(List.of("jq")));
  }

  @Test
  void unknownKeyNamesFileLineAndKey() {
    parseError("""
        base: scratch
        colour: blue
        """).hasMessageStartingWith(dir.resolve("web/image.yaml") + ":2: unknown key 'colour'")
        .hasMessageContaining("known keys:");
  }

  @Test
  void unknownKeyInsideACopyEntry() {
    parseError("""
        base: scratch
        copy:
          - src: a
            dest: /a
            chmod: "0644"
        """).hasMessageContaining(":5: unknown key 'chmod'");
  }

  @Test
  void wrongTypeNamesTheKeyAndLine() {
    parseError("""
        base: scratch
        env: {A: b}
        copy: "app/"
        """).hasMessageContaining(":3:").hasMessageContaining("'copy' must be a list, not a string");
    parseError("""
        entrypoint: 5
        """).hasMessageContaining(":1:").hasMessageContaining("'entrypoint' must be a list");
  }

  @Test
  void malformedYamlIsReportedWithItsLine() {
    parseError("""
        base: scratch
        env: {A: b
        copy: []
        """).hasMessageContaining("invalid YAML");
  }

  @Test
  void unquotedModeIsRefusedRatherThanReadAsOctal() {
    parseError("""
        copy:
          - {src: a, dest: /a, mode: 0644}
        """).hasMessageContaining(":2:").hasMessageContaining("quoted string");
  }

  @Test
  void sourcesOutsideTheFolderAreRefused() {
    parseError("""
        copy:
          - {src: ../x, dest: /x}
        """).hasMessageContaining(":2:").hasMessageContaining("outside the image folder");
    parseError("""
        copy:
          - {src: /etc/passwd, dest: /x}
        """).hasMessageContaining("outside the image folder");
  }

  @Test
  void invalidNamesTagsAndPortsAreRefused() {
    parseError("name: Web_App!\n").hasMessageContaining(":1: invalid image name 'Web_App!'");
    parseError("tags: [\"-bad\"]\n").hasMessageContaining("invalid tag '-bad'");
    parseError("tags: [\"{commit}\"]\n").hasMessageContaining("unknown tag variable {commit}");
    parseError("expose: [\"99999\"]\n").hasMessageContaining("invalid port");
    parseError("workdir: relative\n").hasMessageContaining("absolute path");
  }

  @Test
  void sugarAndStepsTogetherAreAmbiguous() {
    parseError("""
        apt: [jq]
        steps:
          - run: make
        """).hasMessageContaining("'steps' gives the order");
  }

  @Test
  void aStepWithTwoKeysIsRefused() {
    parseError("""
        steps:
          - run: make
            apt: [jq]
        """).hasMessageContaining("exactly one key");
  }

  @Test
  void duplicateKeysAreRefused() {
    parseError("""
        base: scratch
        base: other
        """).hasMessageContaining(":2:").hasMessageContaining("base");
  }

  @Test
  void missingFileAndEmptyFile() throws Exception {
    assertThatThrownBy(() -> parser.parse(dir)).isInstanceOf(dev.berth.text.TextFileException.class)
        .hasMessageContaining("image.yaml: no such file");
    parseError("").hasMessageContaining("empty");
  }
}
