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
  /** Quotes are text, not quoting (BuildKit's processing of a here-document's content). */
  private final boolean quotesLiteral;

  /** {@code variables} gives a variable's value, or null when it is not set. */
  ShellWords(Function<String, String> variables, char escape) {
    this(variables, escape, false);
  }

  private ShellWords(Function<String, String> variables, char escape, boolean quotesLiteral) {
    this.variables = variables;
    this.escape = escape;
    this.quotesLiteral = quotesLiteral;
  }

  /**
   * The same variables, processed as BuildKit expands a here-document of COPY or ADD: quotes stay
   * as written, a backslash (whatever the escape directive says) takes the next character as it is,
   * and variables expand.
   */
  ShellWords literalQuotes() {
    return new ShellWords(variables, '\\', true);
  }

  /** The whole text as one word (spaces kept). */
  String word(String text) {
    List<String> words = process(text, false);
    return words.isEmpty() ? "" : words.get(0);
  }

  /**
   * The first word of {@code text} as written (quotes and escapes kept), and the rest after the white
   * space that ends it: ENV and LABEL tell {@code KEY=VALUE} from {@code KEY VALUE} by this word.
   */
  static String[] firstRawWord(String text, char escape) {
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == escape && quote != '\'') {
        i++;
      } else if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (Character.isWhitespace(c)) {
        return new String[] {text.substring(0, i), text.substring(i).strip()};
      }
    }
    return new String[] {text};
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
        }  // an escape character that ends the text is dropped, as Docker does
      } else if (quotesLiteral && (c == '\'' || c == '"')) {
        current.append(c);
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
    String word = word(in.braceContent(escape));
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

    /**
     * The raw text up to the '}' that closes this substitution: a nested {@code ${...}} is skipped
     * whole, an escaped character never closes it, and a plain '{' does not nest (as Docker reads
     * {@code ${x:-\\${a}:}}: the word is {@code \\${a}, then ":}" follows as text).
     */
    String braceContent(char escape) {
      int depth = 0;
      int begin = position;
      while (!done()) {
        char c = next();
        if (c == escape && !done()) {
          next();
        } else if (c == '$' && !done() && peek() == '{') {
          next();
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
