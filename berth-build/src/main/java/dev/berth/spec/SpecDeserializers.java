package dev.berth.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Jackson deserializers for the parts of image.yaml that take more than one shape. */
final class SpecDeserializers {
  private SpecDeserializers() {}

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("berth-spec");
    module.addDeserializer(Command.class, new CommandDeserializer());
    module.addDeserializer(StepSpec.class, new StepDeserializer());
    return module;
  }

  /** A string, or a list of strings (exec form). */
  static final class CommandDeserializer extends JsonDeserializer<Command> {
    @Override
    public Command deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        String script = p.getText();
        if (script.isBlank()) {
          return ctxt.reportInputMismatch(Command.class, "a command must not be empty");
        }
        return new Command.Shell(script);
      }
      if (p.currentToken() == JsonToken.START_ARRAY) {
        List<String> args = ctxt.readValue(p, ctxt.getTypeFactory().constructCollectionType(List.class, String.class));
        if (args.isEmpty()) {
          return ctxt.reportInputMismatch(Command.class, "an exec-form command must not be empty");
        }
        return new Command.Exec(args);
      }
      return ctxt.reportInputMismatch(Command.class, "a command is a string or a list of strings");
    }
  }

  /** A string only: numbers are refused, so {@code mode: 0644} cannot turn into 420 silently. */
  static final class QuotedString extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (String) ctxt.reportInputMismatch(String.class, "must be a quoted string such as \"0644\"");
      }
      return p.getText();
    }
  }

  /** One entry of {@code steps:}: a mapping with exactly one key naming the step. */
  static final class StepDeserializer extends JsonDeserializer<StepSpec> {
    @Override
    public StepSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        return ctxt.reportInputMismatch(StepSpec.class, "a step is a mapping with one key, such as {run: make}");
      }
      String key = p.nextFieldName();
      if (key == null) {
        return ctxt.reportInputMismatch(StepSpec.class, "a step is a mapping with one key, such as {run: make}");
      }
      p.nextToken();
      StepSpec step = switch (key) {
        case "apt" -> new StepSpec.Apt(ctxt.readValue(p, stringList(ctxt)));
        case "pip" -> new StepSpec.Pip(ctxt.readValue(p, stringList(ctxt)));
        case "requirements" -> new StepSpec.Requirements(ctxt.readValue(p, String.class));
        case "run" -> new StepSpec.Run(ctxt.readValue(p, Command.class));
        case "layers" -> {
          ImageYaml.LayerYaml layer = ctxt.readValue(p, ImageYaml.LayerYaml.class);
          yield new StepSpec.Layer(layer.src, layer.dest);
        }
        case "copy" -> {
          ImageYaml.CopyYaml copy = ctxt.readValue(p, ImageYaml.CopyYaml.class);
          yield new StepSpec.Copy(copy.src, copy.dest, copy.owner, copy.mode);
        }
        case "env" -> {
          Map<String, String> env = ctxt.readValue(p,
              ctxt.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, String.class));
          yield new StepSpec.Env(env);
        }
        case "workdir" -> new StepSpec.Workdir(ctxt.readValue(p, String.class));
        case "user" -> new StepSpec.User(ctxt.readValue(p, String.class));
        default -> ctxt.reportInputMismatch(StepSpec.class, "unknown step '" + key
            + "' (steps are apt, pip, requirements, run, layers, copy, env, workdir, user)");
      };
      if (p.nextToken() != JsonToken.END_OBJECT) {
        return ctxt.reportInputMismatch(StepSpec.class, "a step has exactly one key; split '" + key
            + "' and '" + p.currentName() + "' into two steps");
      }
      return step;
    }

    private static com.fasterxml.jackson.databind.JavaType stringList(DeserializationContext ctxt) {
      return ctxt.getTypeFactory().constructType(new TypeReference<List<String>>() {});
    }
  }
}
