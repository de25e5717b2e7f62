package dev.berth.graph;

import java.util.regex.Pattern;

/**
 * Python's {@code fnmatch} patterns, which docker-pkg's {@code --select} uses against
 * {@code registry/namespace/name:tag}: {@code *} matches anything (slashes too), {@code ?} one
 * character, {@code [seq]} and {@code [!seq]} a character in or not in seq; an unclosed
 * {@code [} is literal. The whole text must match; case counts.
 */
public final class Fnmatch {
  private Fnmatch() {}

  public static boolean matches(String pattern, String text) {
    return compile(pattern).matcher(text).matches();
  }

  public static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else if (c == '[') {
        int end = closing(pattern, i);
        if (end < 0) {
          regex.append("\\[");
        } else {
          regex.append(characterClass(pattern.substring(i, end)));
          i = end + 1;
        }
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** Where the {@code ]} closing a class that starts at {@code start} is, or -1 (as fnmatch.translate finds it). */
  private static int closing(String pattern, int start) {
    int j = start;
    if (j < pattern.length() && pattern.charAt(j) == '!') {
      j++;
    }
    if (j < pattern.length() && pattern.charAt(j) == ']') {
      j++;
    }
    while (j < pattern.length() && pattern.charAt(j) != ']') {
      j++;
    }
    return j < pattern.length() ? j : -1;
  }

  private static String characterClass(String body) {
    boolean negated = body.startsWith("!");
    String members = negated ? body.substring(1) : body;
    StringBuilder out = new StringBuilder(negated ? "[^" : "[");
    for (int k = 0; k < members.length(); k++) {
      char c = members.charAt(k);
      boolean range = c == '-' && k > 0 && k < members.length() - 1;
      out.append(range ? "-" : c == '\\' || c == '[' || c == ']' || c == '^' || c == '&' || c == '-' ? "\\" + c : c);
    }
    return out.append(']').toString();
  }
}
