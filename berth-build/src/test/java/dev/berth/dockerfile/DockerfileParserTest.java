package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.SpecException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("unit")
class DockerfileParserTest {
  private static final Path FILE = Path.of("/ctx/Dockerfile");

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of("FROM busybox:1\nRUN echo hi", 2, new Instruction(2, "RUN", Map.of(), List.of("echo hi"), false)),
        Arguments.of("FROM a\nrun  echo hi  ", 2, new Instruction(2, "RUN", Map.of(), List.of("echo hi"), false)),
        Arguments.of("FROM a\nRUN [\"echo\", \"a b\"]", 2,
            new Instruction(2, "RUN", Map.of(), List.of("echo", "a b"), true)),
        Arguments.of("FROM a\nRUN [ -f /x ] && echo yes", 2,
            new Instruction(2, "RUN", Map.of(), List.of("[ -f /x ] && echo yes"), false)),
        Arguments.of("FROM a\nRUN apt-get update \\\n    && apt-get install x", 2,
            new Instruction(2, "RUN", Map.of(), List.of("apt-get update     && apt-get install x"), false)),
        Arguments.of("FROM a\nRUN one \\\n# a comment inside\n\n  two", 2,
            new Instruction(2, "RUN", Map.of(), List.of("one   two"), false)),
        Arguments.of("# escape=`\nFROM a\nRUN dir c:\\ `\n  && echo", 3,
            new Instruction(3, "RUN", Map.of(), List.of("dir c:\\   && echo"), false)),
        Arguments.of("# syntax=docker/dockerfile:1.7\n# a comment\nFROM a\nCOPY --from=build --chown=1:1 /a /b", 4,
            new Instruction(4, "COPY", Map.of("from", "build", "chown", "1:1"), List.of("/a /b"), false)),
        Arguments.of("FROM a\nCMD []", 2, new Instruction(2, "CMD", Map.of(), List.of(), true)),
        Arguments.of("FROM --platform=linux/arm64 a AS b", 1,
            new Instruction(1, "FROM", Map.of("platform", "linux/arm64"), List.of("a AS b"), false)),
        Arguments.of("\uFEFFFROM a\r\nENV A=1\r\n", 2, new Instruction(2, "ENV", Map.of(), List.of("A=1"), false)),
        // Docker's reading: not a JSON array of strings is shell form; text after the array is ignored
        Arguments.of("FROM a\nRUN [\"echo\", 'x']", 2,
            new Instruction(2, "RUN", Map.of(), List.of("[\"echo\", 'x']"), false)),
        Arguments.of("FROM a\nCMD [ '/bin/sh', '-c', 'exit 1' ]", 2,
            new Instruction(2, "CMD", Map.of(), List.of("[ '/bin/sh', '-c', 'exit 1' ]"), false)),
        Arguments.of("FROM a\nCMD [\"a\", 1]", 2, new Instruction(2, "CMD", Map.of(), List.of("[\"a\", 1]"), false)),
        Arguments.of("FROM a\nRUN [\"echo\", \"hello\"] > /x", 2,
            new Instruction(2, "RUN", Map.of(), List.of("echo", "hello"), true)),
        // an escape character that is itself escaped does not continue the line
        Arguments.of("FROM a\nENV X a\\\\\nENV Y b", 2, new Instruction(2, "ENV", Map.of(), List.of("X a\\\\"), false)));
  }

  @ParameterizedTest
  @MethodSource("valid")
  void parsesInstructions(String text, int line, Instruction expected) {
    List<Instruction> instructions = DockerfileParser.parse(FILE, text).instructions();
    assertThat(instructions).filteredOn(i -> i.line() == line).containsExactly(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("FROM a\n\nFOO bar", ":3: unknown instruction 'FOO'"),
        Arguments.of("FROM a\nSHELL [\"sh\", 1]", ":2: SHELL takes a JSON array of strings"),
        Arguments.of("FROM a\nSHELL /bin/bash -c", ":2: SHELL takes a JSON array"),
        Arguments.of("FROM a\nRUN <<EOF\necho hi\nEOFX", ":2: unterminated heredoc <<EOF"),
        Arguments.of("FROM a\nRUN --mounts=type=cache,target=/x make", ":2: unsupported flag --mounts for RUN"),
        Arguments.of("FROM a\nCOPY --linked a /b", ":2: unsupported flag --linked for COPY"),
        Arguments.of("FROM a\nRUN --network=host --network=none x", ":2: flag --network is given twice"),
        Arguments.of("FROM a\nWORKDIR", ":2: WORKDIR needs an argument"),
        Arguments.of("# escape=x\nFROM a", ":1: invalid escape character"),
        Arguments.of("# syntax=example.org/custom-frontend\nFROM a", ":1: unsupported syntax"),
        Arguments.of("# escape=`\n# escape=`\nFROM a", ":2: parser directive 'escape' is given twice"),
        Arguments.of("FROM a\nCOPY --chown=1 --chown=2 a /b", ":2: flag --chown is given twice"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void refusesWithFileAndLine(String text, String message) {
    assertThatThrownBy(() -> DockerfileParser.parse(FILE, text))
        .isInstanceOf(SpecException.class)
        .hasMessageStartingWith(FILE.toString())
        .hasMessageContaining(message);
  }

  @org.junit.jupiter.api.Test
  void directivesStopAtTheFirstOtherLine() {
    var parsed = DockerfileParser.parse(FILE, "# a comment\n# escape=`\nFROM a\nRUN a \\\n  b");
    assertThat(parsed.escape()).isEqualTo('\\');
    assertThat(parsed.instructions().get(1).arguments()).containsExactly("a   b");
  }
}
