package dev.berth.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reading the YAML files of a tree (image.yaml, berth.yaml, docker-pkg's config.yaml) and turning
 * what Jackson and SnakeYAML report into {@link SpecException}s in the user's words: file, line, and
 * what is wrong, without Java type names.
 */
public final class YamlErrors {
  private YamlErrors() {}

  /** The file as UTF-8 text; binary content is refused with the line it starts on. */
  public static String readText(Path file) {
    return dev.berth.text.TextFiles.read(file);
  }

  /** Jackson's error for {@code file} as a {@link SpecException} at the line it happened. */
  public static SpecException translate(Path file, JsonProcessingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return new SpecException(file, line(e.getLocation()), "unknown key '" + unknown.getPropertyName() + "'"
          + where(unknown) + "; known keys: " + knownKeys(unknown.getKnownPropertyIds()));
    }
    if (e instanceof MismatchedInputException mismatch) {
      return new SpecException(file, line(e.getLocation()), describeMismatch(mismatch));
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblem() != null) {
        String problem = firstLine(marked.getContext() == null ? marked.getProblem()
            : marked.getContext() + ": " + marked.getProblem());
        int line = marked.getProblemMark() != null ? marked.getProblemMark().getLine() + 1 : line(e.getLocation());
        return new SpecException(file, line, "invalid YAML: " + problem.replace("\\t(TAB)", "tab"));
      }
    }
    if (e instanceof JsonMappingException mapping && !(e.getCause() instanceof JsonProcessingException)) {
      return new SpecException(file, line(e.getLocation()), firstLine(mapping.getOriginalMessage()));
    }
    if (e.getCause() instanceof JsonProcessingException syntax) {
      return translate(file, syntax);
    }
    return new SpecException(file, line(e.getLocation()), "invalid YAML: " + firstLine(e.getOriginalMessage()));
  }

  private static String describeMismatch(MismatchedInputException e) {
    String field = path(e);
    String original = firstLine(e.getOriginalMessage());
    if (original.startsWith("Missing required")) {
      return "'" + field + "' is missing a required key: " + original.replaceAll(".*'([^']+)'.*", "$1");
    }
    Class<?> target = e.getTargetType();
    if (target == null || original.contains("a command") || original.contains("step") || original.contains("quoted")) {
      return "'" + field + "' " + original.replaceAll(" \\(through reference chain.*", "");
    }
    JsonToken token = e.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null;
    String subject = field.equals("(document)") ? "the file" : "'" + field + "'";
    return subject + " must be " + expected(target) + (token == null ? "" : ", not " + found(token));
  }

  private static String expected(Class<?> target) {
    if (Collection.class.isAssignableFrom(target) || target.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(target) || target.getName().startsWith("dev.berth")) {
      return "a mapping";
    }
    if (target == String.class) {
      return "a string";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(target) || target.isPrimitive()) {
      return "a whole number";
    }
    return "a single value";
  }

  private static String found(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "a list";
      case START_OBJECT -> "a mapping";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "empty";
      default -> "something else";
    };
  }

  private static String path(JsonMappingException e) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.length() == 0 ? "(document)" : out.toString();
  }

  private static String where(JsonMappingException e) {
    List<JsonMappingException.Reference> refs = e.getPath();
    if (refs.size() <= 1) {
      return "";
    }
    String parent = path(e);
    int dot = parent.lastIndexOf('.');
    return dot < 0 ? "" : " in '" + parent.substring(0, dot) + "'";
  }

  private static String knownKeys(Collection<Object> ids) {
    return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : location.getLineNr();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "invalid document";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
