package dev.berth.dockerfile;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Dockerfile instruction after line continuations and comments are resolved, before variables
 * are substituted.
 *
 * @param line the physical line the instruction starts on (1-based)
 * @param keyword upper case, such as {@code COPY}
 * @param flags {@code --name=value} options in the order given; a flag without a value maps to ""
 * @param arguments the JSON array's strings in exec form; otherwise one element, the raw argument text
 * @param execForm whether the arguments were a JSON array
 * @param heredocs the here-documents its line opens, in order (RUN, COPY, ADD)
 */
public record Instruction(int line, String keyword, Map<String, String> flags, List<String> arguments,
    boolean execForm, List<Heredoc> heredocs) {

  public Instruction {
    if (line < 1 || keyword == null || keyword.isEmpty()) {
      throw new IllegalArgumentException("an instruction needs a line and a keyword");
    }
    flags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(flags));
    arguments = List.copyOf(arguments);
    heredocs = List.copyOf(heredocs);
  }

  public Instruction(int line, String keyword, Map<String, String> flags, List<String> arguments, boolean execForm) {
    this(line, keyword, flags, arguments, execForm, List.of());
  }

  Instruction withHeredocs(List<Heredoc> value) {
    return new Instruction(line, keyword, flags, arguments, execForm, value);
  }

  /** Shell-form argument text (exec form: the arguments joined by spaces). */
  public String text() {
    return String.join(" ", arguments);
  }

  /** Instructions the frontend turns into steps or configuration. */
  static final Set<String> SUPPORTED = Set.of("FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY",
      "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG", "SHELL", "STOPSIGNAL", "ONBUILD", "HEALTHCHECK",
      "MAINTAINER");


  /** Flags each instruction accepts; any other flag is an error. */
  static final Map<String, Set<String>> FLAGS = Map.of(
      "FROM", Set.of("platform"),
      "HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries"),
      "RUN", Set.of("mount", "network", "security"),
      "COPY", Set.of("from", "chown", "chmod", "link", "parents", "exclude"),
      "ADD", Set.of("chown", "chmod", "link", "checksum", "keep-git-dir", "exclude"));

  /** Flags that may be given more than once; their values are kept joined by newlines. */
  static final Set<String> REPEATABLE_FLAGS = Set.of("mount", "exclude");

  /** Instructions whose arguments may be a JSON array. */
  static final Set<String> JSON_CAPABLE = Set.of("RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME");
}
