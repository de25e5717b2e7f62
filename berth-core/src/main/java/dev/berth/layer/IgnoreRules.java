package dev.berth.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** {@code .dockerignore} rules: patterns with {@code *}, {@code ?}, {@code **}, {@code !} exceptions; last match wins. */
public final class IgnoreRules {
  public static final IgnoreRules NONE = new IgnoreRules(List.of());

  private record Rule(Pattern pattern, boolean exclude, String text) {}

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  public static IgnoreRules load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    return parse(file, dev.berth.text.TextFiles.readLines(file));
  }

  public static IgnoreRules parse(List<String> lines) {
    return parse(Path.of(".dockerignore"), lines);
  }

  /** The rules of {@code lines}, read from {@code source}; a malformed pattern is an error naming its line. */
  public static IgnoreRules parse(Path source, List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (int number = 1; number <= lines.size(); number++) {
      String raw = lines.get(number - 1);
      if (number == 1 && raw.startsWith("\uFEFF")) {
        raw = raw.substring(1);  // a UTF-8 byte order mark
      }
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean exclude = true;
      if (line.startsWith("!")) {
        exclude = false;
        line = line.substring(1).strip();
        if (line.isEmpty()) {
          throw new dev.berth.text.TextFileException(source, number, "illegal exclusion pattern '!'");
        }
      }
      String cleaned = clean(line);
      if (cleaned.isEmpty()) {
        continue;
      }
      try {
        rules.add(new Rule(Pattern.compile(toRegex(cleaned)), exclude, cleaned));
      } catch (IllegalArgumentException e) {
        throw new dev.berth.text.TextFileException(source, number, "invalid pattern '" + raw.strip() + "': " + e.getMessage());
      }
    }
    return new IgnoreRules(rules);
  }

  /** Whether {@code relativePath} (slash-separated, relative to the context) is excluded. */
  public boolean isExcluded(String relativePath) {
    String path = clean(relativePath);
    boolean excluded = false;
    for (Rule rule : rules) {
      if (matchesSelfOrParent(rule.pattern, path)) {
        excluded = rule.exclude;
      }
    }
    return excluded;
  }

  /** Whether an exception rule could bring back something below the excluded directory. */
  public boolean mayHaveIncludedChildren(String relativeDir) {
    String dir = clean(relativeDir);
    for (Rule rule : rules) {
      if (!rule.exclude && (rule.text.startsWith(dir + "/") || rule.text.contains("*") || rule.text.contains("?"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesSelfOrParent(Pattern pattern, String path) {
    String current = path;
    while (true) {
      if (pattern.matcher(current).matches()) {
        return true;
      }
      int slash = current.lastIndexOf('/');
      if (slash < 0) {
        return false;
      }
      current = current.substring(0, slash);
    }
  }

  private static String clean(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.replace('\\', '/').split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  /** {@code [a-z]}, {@code [!abc]} or {@code [^abc]} as a regex class; refuses what Docker's matcher refuses. */
  private static String characterClass(String set) {
    boolean negated = set.startsWith("^") || set.startsWith("!");
    String members = negated ? set.substring(1) : set;
    if (members.isEmpty()) {
      throw new IllegalArgumentException("'[]' is an empty character class");
    }
    StringBuilder out = new StringBuilder(negated ? "[^" : "[");
    for (int i = 0; i < members.length(); i++) {
      char low = members.charAt(i);
      if (low == '\\' && i + 1 < members.length()) {
        low = members.charAt(++i);
      }
      if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
        char high = members.charAt(i + 2);
        if (high < low) {
          throw new IllegalArgumentException("the range '" + low + "-" + high + "' runs backwards");
        }
        out.append(escape(low)).append('-').append(escape(high));
        i += 2;
      } else {
        out.append(escape(low));
      }
    }
    return out.append(']').toString();
  }

  private static String escape(char c) {
    return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
  }

  private static String toRegex(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
            i++;
            regex.append("(?:.*/)?");
          } else {
            regex.append(".*");
          }
        } else {
          regex.append("[^/]*");
        }
      } else if (c == '?') {
        regex.append("[^/]");
      } else if (c == '[') {
        int end = pattern.indexOf(']', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("'[' opens a character class that no ']' closes");
        }
        regex.append(characterClass(pattern.substring(i + 1, end)));
        i = end;
      } else if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }
}
