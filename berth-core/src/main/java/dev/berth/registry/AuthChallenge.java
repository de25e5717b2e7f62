package dev.berth.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code WWW-Authenticate} header: {@code Basic realm="…"} or
 * {@code Bearer realm="…",service="…",scope="…"}.
 */
public record AuthChallenge(Scheme scheme, Map<String, String> parameters) {
  /** The authentication schemes a registry may ask for. */
  public enum Scheme { BASIC, BEARER }

  public AuthChallenge {
    parameters = Map.copyOf(parameters);
  }

  public static Optional<AuthChallenge> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String schemeName = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    Scheme scheme = switch (schemeName) {
      case "basic" -> Scheme.BASIC;
      case "bearer" -> Scheme.BEARER;
      default -> null;
    };
    if (scheme == null) {
      return Optional.empty();
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    String rest = space < 0 ? "" : trimmed.substring(space + 1);
    int i = 0;
    while (i < rest.length()) {
      while (i < rest.length() && (rest.charAt(i) == ',' || rest.charAt(i) == ' ')) {
        i++;
      }
      int equals = rest.indexOf('=', i);
      if (equals < 0) {
        break;
      }
      String key = rest.substring(i, equals).trim().toLowerCase(Locale.ROOT);
      i = equals + 1;
      StringBuilder value = new StringBuilder();
      if (i < rest.length() && rest.charAt(i) == '"') {
        i++;
        while (i < rest.length() && rest.charAt(i) != '"') {
          if (rest.charAt(i) == '\\' && i + 1 < rest.length()) {
            i++;
          }
          value.append(rest.charAt(i++));
        }
        i++;
      } else {
        while (i < rest.length() && rest.charAt(i) != ',') {
          value.append(rest.charAt(i++));
        }
      }
      parameters.put(key, value.toString().trim());
    }
    if (scheme == Scheme.BEARER && !parameters.containsKey("realm")) {
      return Optional.empty();
    }
    return Optional.of(new AuthChallenge(scheme, parameters));
  }

  public String parameter(String name) {
    return parameters.get(name);
  }
}
