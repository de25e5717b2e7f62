package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.spec.StepContent;
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
@Tag("unit")
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
    assertThatThrownBy(() -> image("FROM busybox\nCOPY /x <<EOF\nhi\nEOF\n")).isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: COPY cannot take a here-document as its destination");
    assertThatThrownBy(() -> image("FROM busybox\nCOPY <<A <<B /file\na\nA\nb\nB\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: COPY of several sources needs a directory destination");
  }

  private List<StepSpec.CopyContent> copies(String dockerfile) throws IOException {
    return image(dockerfile).steps().stream().filter(step -> step instanceof StepSpec.CopyContent)
        .map(step -> (StepSpec.CopyContent) step).toList();
  }

  private static StepSpec.CopyContent text(String name, String data, String dest, String owner, String mode) {
    return new StepSpec.CopyContent(new StepContent.Text(name, data), dest, owner, mode);
  }

  /** BuildKit's testCopyHeredoc: a document is a file named after its word, into a directory when several. */
  @Test
  void copyOfADocumentIsAFileNamedAfterItsWord() throws IOException {
    assertThat(copies("""
        FROM busybox
        WORKDIR /dest
        COPY <<EOF single
        single file
        EOF
        COPY <<EOF <<EOF2 double/
        first file
        EOF
        second file
        EOF2
        COPY --chmod=777 <<EOF /permfiles/all
        dummy content
        EOF
        COPY --chown=user:user <<EOF /permfiles/owned
        dummy content
        EOF
        ADD <<EOF /added
        added
        EOF
        """)).containsExactly(
        text("EOF", "single file\n", "/dest/single", null, null),
        text("EOF", "first file\n", "/dest/double/", null, null),
        text("EOF2", "second file\n", "/dest/double/", null, null),
        text("EOF", "dummy content\n", "/permfiles/all", null, "777"),
        text("EOF", "dummy content\n", "/permfiles/owned", "user:user", null),
        text("EOF", "added\n", "/added", null, null));
  }

  /**
   * BuildKit's testHeredocVarSubstitution and testCopyHeredocSpecialSymbols: an unquoted word expands
   * variables and backslashes, and keeps quotes as text; a quoted one keeps everything as written.
   */
  @Test
  void anUnquotedWordExpandsTheDocumentAQuotedOneKeepsIt() throws IOException {
    List<String> data = copies("""
        FROM busybox
        ARG name=world
        COPY <<EOF /c1
        Hello ${name}!
        EOF
        COPY <<'EOF' /c2
        Hello ${name}!
        EOF
        COPY <<"EOF" /c3
        Hello ${name}!
        EOF
        COPY <<EOF /q1
        Hello '${name}' "$name"!
        EOF
        COPY <<EOF /slash1
        \\
        EOF
        COPY <<EOF /slash2
        \\\\
        EOF
        COPY <<EOF /slash3
        \\$
        EOF
        COPY <<"EOF" /raw
        \\ \\$ "quotes"
        EOF
        """).stream().map(copy -> ((StepContent.Text) copy.content()).data()).toList();
    assertThat(data).containsExactly("Hello world!\n", "Hello ${name}!\n", "Hello ${name}!\n",
        "Hello 'world' \"world\"!\n", "\n", "\\\n", "$\n", "\\ \\$ \"quotes\"\n");
  }

  /** BuildKit's testHeredocIndent: {@code <<-} strips leading tabs of the copied text too. */
  @Test
  void aDashStripsTabsOfACopiedDocument() throws IOException {
    assertThat(copies("FROM busybox\nCOPY <<-EOF /x\n\t\tindented\n\tEOF\n"))
        .containsExactly(text("EOF", "indented\n", "/x", null, null));
  }
}
