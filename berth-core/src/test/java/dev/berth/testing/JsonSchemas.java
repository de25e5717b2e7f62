package dev.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * The official SPDX 2.3 and CycloneDX 1.5 JSON schemas, vendored under {@code schemas/} (from
 * github.com/spdx/spdx-spec support/2.3 and github.com/CycloneDX/specification), read offline.
 */
public final class JsonSchemas {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
      builder -> builder.schemaMappers(mappers -> mappers
          .mapPrefix("http://cyclonedx.org/schema/", "classpath:schemas/")));

  private JsonSchemas() {}

  /** What is wrong with {@code document} under SPDX 2.3's schema; empty when it is valid. */
  public static List<String> spdx23(JsonNode document) {
    return validate("classpath:schemas/spdx-2.3.schema.json", document);
  }

  /** What is wrong with {@code document} under CycloneDX 1.5's schema; empty when it is valid. */
  public static List<String> cycloneDx15(JsonNode document) {
    return validate("classpath:schemas/bom-1.5.schema.json", document);
  }

  private static List<String> validate(String location, JsonNode document) {
    JsonSchema schema = FACTORY.getSchema(SchemaLocation.of(location));
    return schema.validate(document).stream().map(ValidationMessage::toString).sorted().toList();
  }
}
