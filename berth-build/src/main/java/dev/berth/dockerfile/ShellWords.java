package dev.berth.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's word processing for the instructions that substitute variables (FROM, COPY, ADD, ENV,
 * ARG, LABEL, EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL): quotes are removed, the escape character
 * protects the next character, and {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}},
 * {@code ${VAR-word}}, {@code ${VAR:+word}}, {@code ${VAR+word}}, {@code ${VAR:?message}} expand.
 * Single quotes keep their content literal. Errors are IllegalArgumentException with the reason.
 */
final class ShellWords {
  private final Function<String, String> variables;
  private final char escape;

  /** {@code variables} gives a variable's value, or null when it is not set. */
  ShellWords(Function<String, String> variables, char escape) {
    this.variables = variables;
    this.escape = escape;
  }

  /** The whole text as one word (spaces kept). */
  String word(String text) {
    List<String> words = process(text, false);
    return words.isEmpty() ? "" : words.get(0);
  }

  /** The text split on unquoted white space, each word processed. */
  List<String> words(String text) {
    return process(text, true);
  }

  private List<String> process(String text, boolean split) {
    Scanner in = new Scanner(text);
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inWord = false;
    while (!in.done()) {
      char c = in.next();
      if (split && Character.isWhitespace(c)) {
        if (inWord) {
          out.add(current.toString());
          current.setLength(0);
          inWord = false;
        }
        continue;
      }
      inWord = true;
      if (c == escape) {
        if (!in.done()) {
          current.append(in.next());
        } else {
          current.append(c);
        }
      } else if (c == '\'') {
        current.append(in.until('\'', "single quote"));
      } else if (c == '"') {
        current.append(doubleQuoted(in));
      } else if (c == '$') {
        current.append(variable(in));
      } else {
        current.append(c);
      }
    }
    if (inWord || !split) {
      out.add(current.toString());
    }
    return out;
  }

  private String doubleQuoted(Scanner in) {
    StringBuilder out = new StringBuilder();
    while (true) {
      if (in.done()) {
        throw new IllegalArgumentException("unterminated double quote");
      }
      char c = in.next();
      if (c == '"') {
        return out.toString();
      }
      if (c == escape && !in.done() && (in.peek() == '"' || in.peek() == '$' || in.peek() == escape)) {
        out.append(in.next());
      } else if (c == '$') {
        out.append(variable(in));
      } else {
        out.append(c);
      }
    }
  }

  private String variable(Scanner in) {
    if (in.done()) {
      return "$";
    }
    if (in.peek() == '{') {
      in.next();
      return braced(in);
    }
    String name = in.name();
    if (name.isEmpty()) {
      return "$";
    }
    return valueOrEmpty(name);
  }

  private String braced(Scanner in) {
    String name = in.name();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("bad substitution: '${' needs a variable name");
    }
    if (in.done()) {
      throw new IllegalArgumentException("missing '}' after ${" + name);
    }
    char c = in.next();
    if (c == '}') {
      return valueOrEmpty(name);
    }
    boolean colon = c == ':';
    char operator = colon ? (in.done() ? '}' : in.next()) : c;
    String word = word(in.braceContent());
    String value = variables.apply(name);
    boolean unset = value == null || (colon && value.isEmpty());
    switch (operator) {
      case '-':
        return unset ? word : value;
      case '+':
        return unset ? "" : word;
      case '?':
        if (unset) {
          throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? "is not set" : word));
        }
        return value;
      default:
        throw new IllegalArgumentException("unsupported substitution ${" + name + (colon ? ":" : "") + operator
            + "...}: berth knows :- - :+ + :? ?");
    }
  }

  private String valueOrEmpty(String name) {
    String value = variables.apply(name);
    return value == null ? "" : value;
  }

  /** A cursor over the text. */
  private static final class Scanner {
    private final String text;
    private int position;

    Scanner(String text) {
      this.text = text;
    }

    boolean done() {
      return position >= text.length();
    }

    char next() {
      return text.charAt(position++);
    }

    char peek() {
      return text.charAt(position);
    }

    String until(char end, String what) {
      int close = text.indexOf(end, position);
      if (close < 0) {
        throw new IllegalArgumentException("unterminated " + what);
      }
      String out = text.substring(position, close);
      position = close + 1;
      return out;
    }

    String name() {
      int begin = position;
      while (!done() && (Character.isLetterOrDigit(peek()) || peek() == '_')) {
        position++;
      }
      return text.substring(begin, position);
    }

    /** The raw text up to the matching '}', nested braces included. */
    String braceContent() {
      int depth = 0;
      int begin = position;
      while (!done()) {
        char c = next();
        if (c == '{') {
          depth++;
        } else if (c == '}') {
          if (depth == 0) {
            return text.substring(begin, position - 1);
          }
          depth--;
        }
      }
      throw new IllegalArgumentException("missing '}' in a ${...} substitution");
    }
  }
}
