package dev.berth.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.spec.SpecException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile into instructions: parser directives ({@code # syntax=}, {@code # escape=}),
 * comments, line continuations with the escape character, flags and JSON exec form. Every error
 * names the file and line.
 */
public final class DockerfileParser {
  private static final Pattern DIRECTIVE = Pattern.compile("#\\s*([A-Za-z][A-Za-z0-9_]*)\\s*=\\s*(.*?)\\s*");
  private static final Pattern INSTRUCTION = Pattern.compile("\\s*(\\S+)(?:\\s+(.*))?", Pattern.DOTALL);
  private static final Pattern LOOKS_LIKE_JSON = Pattern.compile("\\[\\s*([\"'\\]]).*", Pattern.DOTALL);
  /** Reads the first JSON value and ignores what follows it, as Docker does ({@code RUN ["a"] > x} is exec form). */
  private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();

  private DockerfileParser() {}

  /** A parsed Dockerfile: its escape character (for later word processing) and its instructions. */
  public record Parsed(Path file, char escape, List<Instruction> instructions) {
    public Parsed {
      instructions = List.copyOf(instructions);
    }
  }

  public static Parsed parse(Path file, String text) {
    return parse(file, text, '\\');
  }

  /** As {@link #parse(Path, String)}, with {@code escape} until an escape directive says otherwise. */
  static Parsed parse(Path file, String text, char defaultEscape) {
    String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    if (lines.length > 0 && lines[0].startsWith("\uFEFF")) {
      lines[0] = lines[0].substring(1);
    }
    int index = 0;
    char escape = defaultEscape;
    Map<String, String> directives = new LinkedHashMap<>();
    for (; index < lines.length; index++) {
      Matcher matcher = DIRECTIVE.matcher(lines[index]);
      if (!matcher.matches()) {
        break;
      }
      String name = matcher.group(1).toLowerCase(Locale.ROOT);
      String value = matcher.group(2);
      if (!name.equals("syntax") && !name.equals("escape") && !name.equals("check")) {
        break;
      }
      if (directives.put(name, value) != null) {
        throw new SpecException(file, index + 1, "parser directive '" + name + "' is given twice");
      }
      if (name.equals("escape")) {
        if (!value.equals("\\") && !value.equals("`")) {
          throw new SpecException(file, index + 1, "invalid escape character '" + value + "': \\ or ` only");
        }
        escape = value.charAt(0);
      } else if (name.equals("syntax") && !isDockerfileSyntax(value)) {
        throw new SpecException(file, index + 1, "unsupported syntax '" + value
            + "': berth reads the standard Dockerfile syntax (docker/dockerfile) only");
      }
    }
    List<Instruction> out = new ArrayList<>();
    StringBuilder logical = null;
    int start = 0;
    for (; index < lines.length; index++) {
      String line = lines[index];
      String stripped = line.strip();
      if (stripped.startsWith("#") || (stripped.isEmpty() && logical != null)) {
        continue;
      }
      if (stripped.isEmpty()) {
        continue;
      }
      if (logical == null) {
        logical = new StringBuilder();
        start = index + 1;
      }
      String trailing = line.stripTrailing();
      if (continues(trailing, escape)) {
        logical.append(trailing, 0, trailing.length() - 1);
        continue;
      }
      logical.append(line);
      Instruction instruction = instruction(file, start, logical.toString());
      logical = null;
      List<Heredoc.Opening> openings = heredocOpenings(instruction);
      List<Heredoc> heredocs = new ArrayList<>();
      for (Heredoc.Opening opening : openings) {
        StringBuilder content = new StringBuilder();
        boolean terminated = false;
        while (++index < lines.length) {
          String candidate = opening.chomp() ? lines[index].replaceFirst("^\t+", "") : lines[index];
          if (candidate.equals(opening.name())) {
            terminated = true;
            break;
          }
          content.append(lines[index]).append('\n');
        }
        if (!terminated) {
          throw new SpecException(file, start, "unterminated heredoc <<" + opening.name());
        }
        heredocs.add(new Heredoc(opening.name(), content.toString(), opening.chomp(), opening.expand()));
      }
      out.add(heredocs.isEmpty() ? instruction : instruction.withHeredocs(heredocs));
    }
    if (logical != null && !logical.toString().isBlank()) {
      out.add(instruction(file, start, logical.toString()));
    }
    return new Parsed(file, escape, out);
  }

  /** The heredocs an instruction's line opens: RUN, COPY, ADD, and ONBUILD of those. */
  private static List<Heredoc.Opening> heredocOpenings(Instruction instruction) {
    String keyword = instruction.keyword();
    String text = instruction.text();
    if (keyword.equals("ONBUILD")) {
      String[] split = text.strip().split("\\s+", 2);
      keyword = split[0].toUpperCase(Locale.ROOT);
      text = split.length > 1 ? split[1] : "";
    }
    if (instruction.execForm() || !Heredoc.KEYWORDS.contains(keyword) || !text.contains("<<")) {
      return List.of();
    }
    return Heredoc.openings(text);
  }

  /**
   * Whether a line goes on in the next: it ends with the escape character, and that character is
   * not itself escaped ({@code ENV X a\\\\} ends there, as in Docker).
   */
  private static boolean continues(String trailing, char escape) {
    int length = trailing.length();
    return length > 0 && trailing.charAt(length - 1) == escape
        && (length == 1 || trailing.charAt(length - 2) != escape);
  }

  private static boolean isDockerfileSyntax(String value) {
    String image = value.startsWith("docker.io/") ? value.substring("docker.io/".length()) : value;
    return image.equals("docker/dockerfile") || image.startsWith("docker/dockerfile:")
        || image.startsWith("docker/dockerfile@");
  }

  private static Instruction instruction(Path file, int line, String text) {
    Matcher matcher = INSTRUCTION.matcher(text);
    if (!matcher.matches()) {
      throw new SpecException(file, line, "cannot read instruction '" + text.strip() + "'");
    }
    String keyword = matcher.group(1).toUpperCase(Locale.ROOT);
    String rest = matcher.group(2) == null ? "" : matcher.group(2).strip();
    if (!Instruction.SUPPORTED.contains(keyword)) {
      throw new SpecException(file, line, "unknown instruction '" + matcher.group(1) + "'");
    }
    Map<String, String> flags = new LinkedHashMap<>();
    while (rest.startsWith("--")) {
      int space = indexOfWhitespace(rest);
      String flag = space < 0 ? rest : rest.substring(0, space);
      rest = space < 0 ? "" : rest.substring(space).strip();
      if (flag.equals("--")) {
        break;
      }
      int equals = flag.indexOf('=');
      String name = equals < 0 ? flag.substring(2) : flag.substring(2, equals);
      String value = equals < 0 ? "" : flag.substring(equals + 1);
      if (!Instruction.FLAGS.getOrDefault(keyword, java.util.Set.of()).contains(name)) {
        throw new SpecException(file, line, "unsupported flag --" + name + " for " + keyword
            + allowedFlags(keyword));
      }
      if (flags.containsKey(name) && Instruction.REPEATABLE_FLAGS.contains(name)) {
        flags.put(name, flags.get(name) + "\n" + value);
      } else if (flags.put(name, value) != null) {
        throw new SpecException(file, line, "flag --" + name + " is given twice");
      }
    }
    if (rest.isEmpty()) {
      throw new SpecException(file, line, keyword + " needs an argument");
    }
    if (Instruction.JSON_CAPABLE.contains(keyword) && LOOKS_LIKE_JSON.matcher(rest).matches()) {
      List<String> array = jsonArrayOrNull(rest);
      if (array != null) {
        return new Instruction(line, keyword, flags, array, true);
      }
      if (keyword.equals("SHELL")) {
        throw new SpecException(file, line, "SHELL takes a JSON array of strings, such as SHELL [\"/bin/bash\", \"-c\"]");
      }
      // not a JSON array of strings (CMD [ 'a' ], RUN [ "$X" = y ]): shell form, as Docker reads it
    }
    if (keyword.equals("SHELL")) {
      throw new SpecException(file, line, "SHELL takes a JSON array, such as SHELL [\"/bin/bash\", \"-c\"]");
    }
    return new Instruction(line, keyword, flags, List.of(rest), false);
  }

  private static String allowedFlags(String keyword) {
    var allowed = Instruction.FLAGS.get(keyword);
    return allowed == null ? " (it takes no flags)"
        : " (berth supports " + allowed.stream().sorted().map(f -> "--" + f).toList() + ")";
  }

  /** {@code text} as a JSON array of strings, or null when it is not one (then it is shell form, as Docker reads it). */
  static List<String> jsonArrayOrNull(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isArray()) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (JsonNode element : node) {
        if (!element.isTextual()) {
          return null;
        }
        out.add(element.asText());
      }
      return out;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static int indexOfWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
