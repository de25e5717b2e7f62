package dev.berth.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * RUN with here-documents, as BuildKit runs it: {@code RUN <<EOF} alone runs the document's text
 * with the shell (a document starting with {@code #!} runs with its interpreter); any other line
 * goes to the shell with its documents after it, and the shell reads them.
 */
final class HeredocRun {
  private HeredocRun() {}

  /** Whether the instruction is one heredoc and nothing else ({@code RUN <<EOF}). */
  private static boolean alone(Instruction instruction) {
    return instruction.heredocs().size() == 1 && Heredoc.opening(instruction.text().strip()) != null;
  }

  /** The script the shell runs. */
  static String script(Instruction instruction) {
    if (alone(instruction)) {
      return instruction.heredocs().get(0).data();
    }
    StringBuilder out = new StringBuilder(instruction.text());
    for (Heredoc heredoc : instruction.heredocs()) {
      out.append('\n').append(heredoc.content()).append(heredoc.name());
    }
    return out.toString();
  }

  /**
   * For a lone document starting with {@code #!INTERPRETER [ARG]}: the interpreter reading the
   * document on its standard input through {@code /bin/sh} (BuildKit mounts it as a file instead);
   * null otherwise.
   */
  static List<String> shebangCommand(Instruction instruction) {
    if (!alone(instruction)) {
      return null;
    }
    Heredoc heredoc = instruction.heredocs().get(0);
    String data = heredoc.data();
    if (!data.startsWith("#!")) {
      return null;
    }
    String interpreter = data.substring(2, data.indexOf('\n') < 0 ? data.length() : data.indexOf('\n')).strip();
    String terminator = "BERTH_HEREDOC_" + Integer.toHexString(data.hashCode() & 0x7fffffff);
    List<String> out = new ArrayList<>(List.of("/bin/sh", "-c"));
    out.add("exec " + interpreter + " /dev/stdin <<'" + terminator + "'\n" + data
        + (data.endsWith("\n") ? "" : "\n") + terminator + "\n");
    return out;
  }
}
