package dev.berth.layer;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Git's wildmatch with paths ({@code WM_PATHNAME}) as a regular expression: {@code *} and {@code ?}
 * stop at {@code /}; {@code **} between slashes (or at either end) spans directories, elsewhere it is a
 * plain {@code *}; {@code [...]} classes with ranges, {@code !}/{@code ^} negation and POSIX names;
 * a backslash quotes the next character.
 */
final class GitWildmatch {
  private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
      Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("blank", "\\p{Blank}"),
      Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"), Map.entry("graph", "\\p{Graph}"),
      Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
      Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"), Map.entry("xdigit", "\\p{XDigit}"));

  private GitWildmatch() {}

  static String toRegex(String pattern) {
    StringBuilder regex = new StringBuilder();
    int length = pattern.length();
    for (int i = 0; i < length; i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        int run = i;
        while (i + 1 < length && pattern.charAt(i + 1) == '*') {
          i++;
        }
        boolean doubled = i > run;
        boolean startsSegment = run == 0 || pattern.charAt(run - 1) == '/';
        boolean endsSegment = i + 1 == length || pattern.charAt(i + 1) == '/';
        if (doubled && startsSegment && endsSegment) {
          if (i + 1 == length) {
            regex.append(".*");  // "x/**" everything inside; "**" alone everything
          } else {
            regex.append("(?:[^/]*/)*");  // "**/" zero or more directories
            i++;
          }
        } else {
          regex.append("[^/]*");
        }
      } else if (c == '?') {
        regex.append("[^/]");
      } else if (c == '[') {
        i = characterClass(pattern, i, regex);
      } else if (c == '\\') {
        if (i + 1 == length) {
          throw new IllegalArgumentException("a backslash ends the pattern and quotes nothing");
        }
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }

  /** Appends the class opening at {@code start}; returns the index of its closing {@code ]}. */
  private static int characterClass(String pattern, int start, StringBuilder regex) {
    int i = start + 1;
    StringBuilder out = new StringBuilder("[");
    if (i < pattern.length() && (pattern.charAt(i) == '!' || pattern.charAt(i) == '^')) {
      out.append('^');
      i++;
    }
    boolean first = true;
    for (; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == ']' && !first) {
        regex.append(out).append("&&[^/]]");
        return i;
      }
      first = false;
      if (c == '[' && i + 1 < pattern.length() && pattern.charAt(i + 1) == ':') {
        int close = pattern.indexOf(":]", i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("'[:' opens a character class name that no ':]' closes");
        }
        String name = pattern.substring(i + 2, close);
        String posix = POSIX_CLASSES.get(name);
        if (posix == null) {
          throw new IllegalArgumentException("unknown character class '[:" + name + ":]'");
        }
        out.append(posix);
        i = close + 1;
        continue;
      }
      char low = c;
      if (low == '\\') {
        if (++i == pattern.length()) {
          break;
        }
        low = pattern.charAt(i);
      }
      if (i + 2 < pattern.length() && pattern.charAt(i + 1) == '-' && pattern.charAt(i + 2) != ']') {
        int highAt = i + 2;
        char high = pattern.charAt(highAt);
        if (high == '\\' && highAt + 1 < pattern.length()) {
          high = pattern.charAt(++highAt);
        }
        if (high < low) {
          throw new IllegalArgumentException("the range '" + low + "-" + high + "' runs backwards");
        }
        out.append(quote(low)).append('-').append(quote(high));
        i = highAt;
      } else {
        out.append(quote(low));
      }
    }
    throw new IllegalArgumentException("'[' opens a character class that no ']' closes");
  }

  private static String quote(char c) {
    return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
  }
}
