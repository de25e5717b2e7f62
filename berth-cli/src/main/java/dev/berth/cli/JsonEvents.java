package dev.berth.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code --progress=json}: one JSON object per event per line, its record's fields plus {@code type}
 * (the record's name), {@code image} (empty when none) and {@code time} (when it was seen). docs/output-schema.md lists the fields.
 */
final class JsonEvents implements BuildListener {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new SimpleModule().addSerializer(Duration.class, new SecondsSerializer()))
      .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
      .build();

  private final PrintStream out;

  JsonEvents(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void on(BuildEvent event) {
    out.println(line(event, Instant.now()));
    out.flush();
  }

  /** The JSON line of {@code event}, seen at {@code time}. */
  static String line(BuildEvent event, Instant time) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", event.getClass().getSimpleName());
    node.put("time", time.toString());
    node.put("image", event.image());
    node.setAll((ObjectNode) MAPPER.valueToTree(event));
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A duration as seconds, a decimal number (1.25), as the state tables' timings read. */
  private static final class SecondsSerializer extends JsonSerializer<Duration> {
    @Override
    public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
      generator.writeNumber(value.toNanos() / 1_000_000 / 1000.0);
    }
  }
}
