package dev.berth.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Canonical JSON: object keys sorted, no insignificant white space, so equal content always gives
 * equal bytes and therefore equal digests.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.INDENT_OUTPUT)
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] canonical(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new InvalidContentException("invalid " + words(type.getSimpleName()) + " JSON" + where(e));
    }
  }

  /** {@code ImageManifest} as "image manifest": what was read, said without Java's class names. */
  private static String words(String typeName) {
    return typeName.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }

  /** Where in the document Jackson stopped, without its message (which speaks of Java types). */
  private static String where(IOException e) {
    if (e instanceof JsonProcessingException parse && parse.getLocation() != null) {
      return " (at line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr() + ")";
    }
    return "";
  }

  public static JsonNode tree(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new InvalidContentException("invalid JSON" + where(e));
    }
  }

  public static byte[] pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }


}
