package dev.berth.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The few Python behaviours docker-pkg's templates and filters depend on: {@code str()}, {@code repr()},
 * truth, and {@code os.path.join}. Values are those of a YAML document (null, Boolean, Number,
 * String, List, Map) or {@link PyNone}.
 */
final class Py {
  private Py() {}

  /** Python's {@code str(value)}. */
  static String str(Object value) {
    if (value instanceof String string) {
      return string;
    }
    return repr(value);
  }

  /** Python's {@code repr(value)}. */
  static String repr(Object value) {
    if (value == null || value instanceof PyNone) {
      return "None";
    }
    if (value instanceof Boolean bool) {
      return bool ? "True" : "False";
    }
    if (value instanceof Double || value instanceof Float) {
      double number = ((Number) value).doubleValue();
      if (Double.isNaN(number)) {
        return "nan";
      }
      if (Double.isInfinite(number)) {
        return number > 0 ? "inf" : "-inf";
      }
      if (number == Math.rint(number) && Math.abs(number) < 1e16) {
        return String.format(java.util.Locale.ROOT, "%.1f", number);
      }
      return Double.toString(number).replace("E", "e");
    }
    if (value instanceof String string) {
      return quote(string);
    }
    if (value instanceof Map<?, ?> map) {
      List<String> items = new ArrayList<>();
      map.forEach((key, item) -> items.add(repr(key) + ": " + repr(item)));
      return "{" + String.join(", ", items) + "}";
    }
    if (value instanceof Iterable<?> iterable) {
      List<String> items = new ArrayList<>();
      iterable.forEach(item -> items.add(repr(item)));
      return "[" + String.join(", ", items) + "]";
    }
    return String.valueOf(value);
  }

  private static String quote(String string) {
    char quote = string.contains("'") && !string.contains("\"") ? '"' : '\'';
    StringBuilder out = new StringBuilder().append(quote);
    for (char c : string.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c == quote) {
            out.append('\\').append(c);
          } else if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append(quote).toString();
  }

  /** Python's truth: None, False, 0, "" and empty collections are false. */
  static boolean truthy(Object value) {
    if (value == null || value instanceof PyNone) {
      return false;
    }
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof Number number) {
      return number.doubleValue() != 0;
    }
    if (value instanceof CharSequence text) {
      return text.length() > 0;
    }
    if (value instanceof Map<?, ?> map) {
      return !map.isEmpty();
    }
    if (value instanceof java.util.Collection<?> collection) {
      return !collection.isEmpty();
    }
    return true;
  }

  /** Python's {@code os.path.join}: an absolute part restarts the path; "/" is added only where missing. */
  static String pathJoin(String first, String... rest) {
    StringBuilder path = new StringBuilder(first);
    for (String part : rest) {
      if (part.startsWith("/")) {
        path.setLength(0);
        path.append(part);
      } else if (path.length() == 0 || path.charAt(path.length() - 1) == '/') {
        path.append(part);
      } else {
        path.append('/').append(part);
      }
    }
    return path.toString();
  }
}
