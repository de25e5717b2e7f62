package dev.berth.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Here-documents as BuildKit documents them (Docker 20.10 has none to compare with); cases after
 * BuildKit's dockerfile_heredoc_test.go: testRunBasicHeredoc, testRunComplexHeredoc,
 * testHeredocIndent, testRunShebangHeredoc, testOnBuildHeredoc.
 */
class DockerfileHeredocTest {
  @TempDir Path context;

  private ImageSpec image(String dockerfile) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image();
  }

  private List<Command> runs(String dockerfile) throws IOException {
    return image(dockerfile).steps().stream().filter(step -> step instanceof StepSpec.Run)
        .map(step -> ((StepSpec.Run) step).command()).toList();
  }

  @Test
  void aLoneHeredocIsTheShellScript() throws IOException {
    assertThat(runs("FROM busybox\nRUN <<EOF\necho \"i am\" >> /dest\nwhoami >> /dest\nEOF\nRUN true\n"))
        .containsExactly(new Command.Shell("echo \"i am\" >> /dest\nwhoami >> /dest\n"), new Command.Shell("true"));
  }

  @Test
  void otherwiseTheShellReadsTheDocumentsAfterTheLine() throws IOException {
    List<Command> commands = runs("""
        FROM busybox
        RUN cat <<EOF1 | tr '[:upper:]' '[:lower:]' > ./out1; \\
        \tcat <<EOF2 > ./out2
        hello WORLD
        EOF1
        HELLO world
        EOF2
        RUN <<EOF 3<<IN1 awk -f -
        { print }
        EOF
        data
        IN1
        """);
    assertThat(commands).containsExactly(
        new Command.Shell("cat <<EOF1 | tr '[:upper:]' '[:lower:]' > ./out1; \tcat <<EOF2 > ./out2\n"
            + "hello WORLD\nEOF1\nHELLO world\nEOF2"),
        new Command.Shell("<<EOF 3<<IN1 awk -f -\n{ print }\nEOF\ndata\nIN1"));
  }

  @Test
  void aDashStripsLeadingTabsOfALoneDocumentAndItsTerminator() throws IOException {
    assertThat(runs("FROM busybox\nRUN <<-EOF\n\techo \"\n\tbar\" > /x\n\tEOF\nRUN <<EOF\n\tfoo\nEOF\n"))
        .containsExactly(new Command.Shell("echo \"\nbar\" > /x\n"), new Command.Shell("\tfoo\n"));
  }

  @Test
  void aShebangDocumentRunsWithItsInterpreter() throws IOException {
    Command command = runs("FROM busybox\nRUN <<EOF\n#!/bin/awk -f\nBEGIN { print \"hi\" }\nEOF\n").get(0);
    assertThat(command).isInstanceOf(Command.Exec.class);
    List<String> argv = ((Command.Exec) command).args();
    assertThat(argv.subList(0, 2)).containsExactly("/bin/sh", "-c");
    assertThat(argv.get(2)).startsWith("exec /bin/awk -f /dev/stdin <<'BERTH_HEREDOC_")
        .contains("\n#!/bin/awk -f\nBEGIN { print \"hi\" }\n");
  }

  @Test
  void quotedWordsAndOnBuildKeepTheDocument() throws IOException {
    ImageSpec spec = image("FROM busybox\nONBUILD RUN <<'EOF'\necho $HOME\nEOF\n");
    assertThat(spec.config().onBuild()).containsExactly("RUN <<'EOF'\necho $HOME\nEOF");
    assertThat(Heredoc.opening("<<'EOF'").expand()).isFalse();
    assertThat(Heredoc.opening("<<EOF").expand()).isTrue();
    assertThat(Heredoc.opening("3<<-\"IN\"")).isEqualTo(new Heredoc.Opening("IN", true, false));
    assertThat(Heredoc.opening("a<<b")).isNull();
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> image("FROM busybox\nRUN <<EOF\necho\n")).isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: unterminated heredoc <<EOF");
    assertThatThrownBy(() -> image("FROM busybox\nCOPY <<EOF /x\nhi\nEOF\n")).isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: COPY of a here-document (<<EOF) is not supported yet");
  }
}
