package dev.berth.spec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The document shape of {@code image.yaml}; Jackson binds it strictly, then ImageSpecParser validates. */
final class ImageYaml {
  @JsonProperty String name;
  @JsonProperty String base;
  @JsonProperty String platform;
  @JsonProperty List<String> platforms;
  @JsonProperty LinkedHashMap<String, String> env;
  @JsonProperty List<String> apt;
  @JsonProperty List<String> pip;
  @JsonProperty String requirements;
  @JsonProperty List<Command> run;
  @JsonProperty List<LayerYaml> layers;
  @JsonProperty List<CopyYaml> copy;
  @JsonProperty List<StepSpec> steps;
  @JsonProperty String network;
  @JsonProperty List<String> cache;
  @JsonProperty List<SecretYaml> secrets;
  @JsonProperty String workdir;
  @JsonProperty String user;
  @JsonProperty List<String> entrypoint;
  @JsonProperty List<String> cmd;
  @JsonProperty List<String> expose;
  @JsonProperty Map<String, String> labels;
  @JsonProperty List<String> volumes;
  @JsonProperty("stop_signal") String stopSignal;
  @JsonProperty List<Command> verify;
  @JsonProperty List<String> tags;
  /** Leave out what the repository's .gitignore files ignore, as well as what .dockerignore does. */
  @JsonProperty Boolean gitignore;

  static final class LayerYaml {
    @JsonProperty(required = true) String src;
    @JsonProperty String dest;
  }

  static final class CopyYaml {
    @JsonProperty(required = true) String src;
    @JsonProperty(required = true) String dest;
    @JsonProperty String owner;
    @JsonProperty @JsonDeserialize(using = SpecDeserializers.QuotedString.class) String mode;
  }

  static final class SecretYaml {
    @JsonProperty(required = true) String id;
    @JsonProperty(required = true) String src;
  }
}
