package dev.berth.dockerfile;

import dev.berth.spec.SpecException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Jinja2 template rewritten so that Jinjava reads it as Jinja2 does. Jinjava's expression language
 * differs from Jinja2's in a few places that docker-pkg templates use; this closes those gaps before
 * Jinjava sees the text:
 * <ul>
 *   <li>newlines are normalised and one trailing newline is dropped (Jinja2's {@code keep_trailing_newline=False});
 *   <li>string literals are decoded as Python does (a backslash-newline vanishes, {@code \n}, {@code \x41}, …),
 *       adjacent literals are joined ({@code "a" "b"} is {@code "ab"}), and each is handed to Jinjava as a
 *       variable, so no quoting rule of Jinjava's can change it;
 *   <li>{@code {% set x | filter %}…{% endset %}} becomes a block set followed by {@code set x = x | filter};
 *   <li>{@code True}, {@code False} and {@code None} are Jinja2's constants;
 *   <li>comments are dropped here, trimming around them as Jinja2 does;
 *   <li>what {@code {{ … }}} prints goes through Python's {@code str()} ({@code True}, {@code None}, {@code ['a']}).
 * </ul>
 * Line numbers are kept: every newline removed from a tag is added back inside it.
 *
 * @param text the template for Jinjava
 * @param literals the variables standing for the string literals
 * @param filters every filter the template names, with its line
 */
record JinjaSource(String text, Map<String, Object> literals, List<Use> filters) {
  static final String NONE = "berth_none_";
  /** The filter every printed value goes through: Python's {@code str()}. */
  static final String STR = "berth_str_";
  private static final String LITERAL = "berth_literal_";
  private static final Pattern RAW = Pattern.compile("\\{%[-+]?\\s*raw\\s*[-+]?%}");
  private static final Pattern END_RAW = Pattern.compile("\\{%[-+]?\\s*endraw\\s*[-+]?%}");
  private static final Pattern SET_BLOCK = Pattern.compile("\\s*set\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*(\\|.*?)?\\s*",
      Pattern.DOTALL);
  private static final Pattern END_SET = Pattern.compile("\\s*endset\\s*");
  private static final Pattern LOADS = Pattern.compile("\\s*(include|import|extends|from)\\b.*", Pattern.DOTALL);
  private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern CONSTANT = Pattern.compile("(?<![\\w.])(True|False|None|none)(?!\\w)");
  private static final Pattern IS_NONE = Pattern.compile("\\bis\\s+(not\\s+)?$");

  /** A name used in the template, and the line it is on. */
  record Use(String name, int line) {}

  JinjaSource {
    literals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(literals));
    filters = List.copyOf(filters);
  }

  static JinjaSource translate(Path file, String source) {
    return new Translator(file, source).run();
  }

  private static final class Translator {
    private final Path file;
    private final String text;
    private final StringBuilder out = new StringBuilder();
    private final Map<String, Object> literals = new LinkedHashMap<>();
    private final List<Use> filters = new ArrayList<>();
    private final Deque<String[]> sets = new ArrayDeque<>();

    Translator(Path file, String source) {
      this.file = file;
      String normalised = source.replace("\r\n", "\n").replace('\r', '\n');
      this.text = normalised.endsWith("\n") ? normalised.substring(0, normalised.length() - 1) : normalised;
    }

    JinjaSource run() {
      int i = 0;
      Matcher raw = RAW.matcher(text);
      while (i < text.length()) {
        if (text.charAt(i) != '{') {
          out.append(text.charAt(i++));
        } else if (text.startsWith("{#", i)) {
          int end = text.indexOf("#}", i + 2);
          if (end < 0) {
            throw error(i, "the comment opened here is never closed with '#}'");
          }
          i = comment(i, end);
        } else if (raw.region(i, text.length()).lookingAt()) {
          Matcher end = END_RAW.matcher(text);
          if (!end.find(raw.end())) {
            throw error(i, "'{% raw %}' is never closed with '{% endraw %}'");
          }
          out.append(text, i, end.end());
          i = end.end();
        } else if (text.startsWith("{{", i) || text.startsWith("{%", i)) {
          i = tag(i);
        } else {
          out.append(text.charAt(i++));
        }
      }
      return new JinjaSource(out.toString(), literals, filters);
    }

    /**
     * Drops the comment from {@code start} to {@code end} (its {@code #}} ), trimming around it as its
     * {@code -} markers say (Jinjava trims comments differently); returns the index after what it trims.
     */
    private int comment(int start, int end) {
      int lines = 0;
      if (text.startsWith("{#-", start)) {
        int keep = out.length();
        while (keep > 0 && Character.isWhitespace(out.charAt(keep - 1))) {
          keep--;
        }
        lines += newlines(out.substring(keep));
        out.setLength(keep);
      }
      int next = end + 2;
      if (end > start + 2 && text.charAt(end - 1) == '-') {
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
          next++;
        }
      }
      // a comment of newlines only, so that later lines keep their numbers
      lines += newlines(text.substring(start, next));
      if (lines > 0) {
        out.append("{#").append("\n".repeat(lines)).append("#}");
      }
      return next;
    }

    /** Translates the tag at {@code start}; returns the index after it. */
    private int tag(int start) {
      boolean block = text.charAt(start + 1) == '%';
      String close = block ? "%}" : "}}";
      StringBuilder body = new StringBuilder();
      int depth = 0;
      int j = start + 2;
      while (true) {
        if (j >= text.length()) {
          throw error(start, "the tag opened here is never closed with '" + close + "'");
        }
        char c = text.charAt(j);
        if (c == '"' || c == '\'') {
          j = literal(j, body);
          continue;
        }
        if (depth == 0 && text.startsWith(close, j)) {
          break;
        }
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
          depth--;
        }
        body.append(c);
        j++;
      }
      String inner = constants(body.toString());
      int line = lineAt(start);
      Matcher filter = FILTER.matcher(inner);
      while (filter.find()) {
        filters.add(new Use(filter.group(1), line + newlines(inner.substring(0, filter.start()))));
      }
      out.append(block ? rewriteBlock(start, inner) : printed(inner));
      return j + 2;
    }

    /** Reads the string literal (and any adjacent ones) at {@code start}; returns the index after them. */
    private int literal(int start, StringBuilder body) {
      StringBuilder value = new StringBuilder();
      int removedNewlines = 0;
      int j = start;
      while (true) {
        char quote = text.charAt(j);
        int k = j + 1;
        while (k < text.length() && text.charAt(k) != quote) {
          k += text.charAt(k) == '\\' ? 2 : 1;
        }
        if (k >= text.length()) {
          throw error(j, "the string opened here is never closed");
        }
        value.append(decode(j, text.substring(j + 1, k)));
        removedNewlines += newlines(text.substring(j, k + 1));
        int next = k + 1;
        while (next < text.length() && Character.isWhitespace(text.charAt(next))) {
          next++;
        }
        if (next < text.length() && (text.charAt(next) == '"' || text.charAt(next) == '\'')) {
          removedNewlines += newlines(text.substring(k + 1, next));
          j = next;
          continue;
        }
        String name = LITERAL + literals.size() + "_";
        literals.put(name, value.toString());
        body.append(' ').append(name).append(' ').append("\n".repeat(removedNewlines));
        return k + 1;
      }
    }

    /** A string literal's content as Python's unicode-escape codec decodes it (what Jinja2 does). */
    private String decode(int at, String raw) {
      StringBuilder escaped = new StringBuilder();
      raw.codePoints().forEach(cp -> escaped.append(cp < 0x80 ? Character.toString(cp)
          : cp < 0x100 ? String.format("\\x%02x", cp) : cp < 0x10000 ? String.format("\\u%04x", cp)
          : String.format("\\U%08x", cp)));
      String s = escaped.toString();
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c != '\\' || i + 1 >= s.length()) {
          out.append(c);
          continue;
        }
        char next = s.charAt(++i);
        switch (next) {
          case '\n' -> { }
          case '\\', '\'', '"' -> out.append(next);
          case 'a' -> out.append('\u0007');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'v' -> out.append('\u000b');
          case 'x', 'u', 'U' -> {
            int digits = next == 'x' ? 2 : next == 'u' ? 4 : 8;
            int end = i + 1 + digits;
            if (end > s.length() || !s.substring(i + 1, end).matches("[0-9a-fA-F]+")) {
              throw error(at, "truncated \\" + next + " escape in a string");
            }
            out.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 1 + digits), 16));
            i += digits;
          }
          case 'N' -> throw error(at, "\\N{…} escapes are not supported in strings");
          default -> {
            if (next >= '0' && next <= '7') {
              int end = i;
              while (end < s.length() && end < i + 3 && s.charAt(end) >= '0' && s.charAt(end) <= '7') {
                end++;
              }
              out.appendCodePoint(Integer.parseInt(s.substring(i, end), 8));
              i = end - 1;
            } else {
              out.append('\\').append(next);
            }
          }
        }
      }
      return out.toString();
    }

    /** {@code True}/{@code False}/{@code None} outside strings (already replaced) as Jinjava understands them. */
    private static String constants(String expression) {
      Matcher matcher = CONSTANT.matcher(expression);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String word = matcher.group(1);
        boolean afterIs = IS_NONE.matcher(expression.substring(0, matcher.start())).find();
        String replacement = word.equals("True") ? "true" : word.equals("False") ? "false"
            : afterIs ? "none" : NONE;
        matcher.appendReplacement(out, replacement);
      }
      matcher.appendTail(out);
      return out.toString();
    }

    /**
     * {@code {{ x }}} printed through Python's {@code str()}, as Jinja2 prints; the filter is given
     * the expression's text, to name it when it is undefined.
     */
    private String printed(String inner) {
      String left = inner.startsWith("-") || inner.startsWith("+") ? inner.substring(0, 1) : "";
      String right = inner.endsWith("-") || inner.endsWith("+") ? inner.substring(inner.length() - 1) : "";
      String middle = inner.substring(left.length(), Math.max(left.length(), inner.length() - right.length()));
      String text = LITERAL + literals.size() + "_";
      literals.put(text, middle.strip());
      return "{{" + left + " (" + middle + ") | " + STR + "(" + text + ") " + right + "}}";
    }

    private String rewriteBlock(int start, String inner) {
      String left = inner.startsWith("-") || inner.startsWith("+") ? inner.substring(0, 1) : "";
      String right = inner.endsWith("-") || inner.endsWith("+") ? inner.substring(inner.length() - 1) : "";
      String middle = inner.substring(left.length(), inner.length() - right.length());
      if (LOADS.matcher(middle).matches()) {
        throw error(start, "'" + middle.strip().split("\\s+")[0] + "' of other templates is not supported:"
            + " berth renders each Dockerfile.template on its own");
      }
      Matcher set = SET_BLOCK.matcher(middle);
      if (set.matches()) {
        sets.push(new String[] {set.group(1), set.group(2)});
        return "{%" + left + " set " + set.group(1) + " " + right + "%}";
      }
      if (END_SET.matcher(middle).matches() && !sets.isEmpty()) {
        String[] opened = sets.pop();
        if (opened[1] != null) {
          return "{%" + left + " endset %}{% set " + opened[0] + " = " + opened[0] + " " + opened[1] + " " + right + "%}";
        }
      }
      return "{%" + inner + "%}";
    }

    private int lineAt(int index) {
      int line = 1;
      for (int i = 0; i < index; i++) {
        line += text.charAt(i) == '\n' ? 1 : 0;
      }
      return line;
    }

    private SpecException error(int index, String message) {
      return new SpecException(file, lineAt(index), message);
    }
  }

  private static int newlines(String text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    return count;
  }
}
