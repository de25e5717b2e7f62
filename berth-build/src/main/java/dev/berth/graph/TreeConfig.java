package dev.berth.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.oci.Platform;
import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code berth.yaml} at a tree's root: where images are published, the default platform, how many
 * images build at once, template variables, and Docker Hub mirrors ({@code registryMirrors}, as
 * dockerd's {@code registry-mirrors}: URLs tried in order before Docker Hub).
 */
public record TreeConfig(String registry, Platform platform, Integer jobs, Map<String, String> variables,
    boolean insecure, java.util.List<String> registryMirrors, java.util.List<DockerfileImage> dockerfiles) {
  public static final String FILE_NAME = "berth.yaml";

  public TreeConfig {
    variables = variables == null ? Map.of() : Map.copyOf(variables);
    registryMirrors = registryMirrors == null ? java.util.List.of() : java.util.List.copyOf(registryMirrors);
    dockerfiles = dockerfiles == null ? java.util.List.of() : java.util.List.copyOf(dockerfiles);
  }

  /**
   * An image built from a Dockerfile that is not {@code FOLDER/Dockerfile}, as a bake target: its
   * build {@code context} and {@code dockerfile}, both relative to the tree, and an optional {@code target} stage.
   */
  public record DockerfileImage(@JsonProperty("name") String name, @JsonProperty("context") String context,
      @JsonProperty("dockerfile") String dockerfile, @JsonProperty("target") String target) {}

  public TreeConfig(String registry, Platform platform, Integer jobs, Map<String, String> variables,
      boolean insecure) {
    this(registry, platform, jobs, variables, insecure, java.util.List.of(), java.util.List.of());
  }

  public static TreeConfig defaults() {
    return new TreeConfig(null, Platform.LINUX_AMD64, null, Map.of(), false);
  }

  static final class Yaml {
    @JsonProperty String registry;
    @JsonProperty String platform;
    @JsonProperty Integer jobs;
    @JsonProperty Map<String, String> variables;
    @JsonProperty Boolean insecure;
    @JsonProperty java.util.List<String> registryMirrors;
    @JsonProperty java.util.List<DockerfileImage> dockerfiles;
  }

  public static TreeConfig load(Path tree) {
    Path file = tree.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return defaults();
    }
    ObjectMapper mapper = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    Yaml yaml;
    try {
      yaml = mapper.readValue(file.toFile(), Yaml.class);
    } catch (UnrecognizedPropertyException e) {
      throw new SpecException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          "unknown key '" + e.getPropertyName() + "' (known: registry, platform, jobs, variables, insecure, registryMirrors, dockerfiles)");
    } catch (JsonProcessingException e) {
      throw new SpecException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
          e.getOriginalMessage().lines().findFirst().orElse("invalid YAML"));
    } catch (IOException e) {
      throw new SpecException(file, "cannot read: " + e.getMessage());
    }
    if (yaml == null) {
      return defaults();
    }
    Platform platform = Platform.LINUX_AMD64;
    if (yaml.platform != null) {
      try {
        platform = Platform.parse(yaml.platform);
      } catch (IllegalArgumentException e) {
        throw new SpecException(file, e.getMessage());
      }
    }
    if (yaml.jobs != null && yaml.jobs < 1) {
      throw new SpecException(file, "'jobs' must be at least 1");
    }
    if (yaml.registry != null && (yaml.registry.isBlank() || yaml.registry.contains("://"))) {
      throw new SpecException(file, "'registry' is HOST[:PORT][/NAMESPACE], without a scheme: '" + yaml.registry + "'");
    }
    if (yaml.registryMirrors != null) {
      for (String mirror : yaml.registryMirrors) {
        if (mirror == null || !mirror.matches("(https?://)?[A-Za-z0-9.\\[\\]:-]+/?")) {
          throw new SpecException(file, "'registryMirrors' holds URLs such as http://127.0.0.1:5000, not '"
              + mirror + "'");
        }
      }
    }
    if (yaml.dockerfiles != null) {
      for (DockerfileImage image : yaml.dockerfiles) {
        if (image == null || image.name() == null || image.dockerfile() == null) {
          throw new SpecException(file, "each of 'dockerfiles' needs a name and a dockerfile (context defaults to .)");
        }
      }
      yaml.dockerfiles = yaml.dockerfiles.stream().map(image -> new DockerfileImage(image.name(),
          image.context() == null ? "." : image.context(), image.dockerfile(), image.target())).toList();
    }
    return new TreeConfig(yaml.registry, platform, yaml.jobs, yaml.variables,
        yaml.insecure != null && yaml.insecure, yaml.registryMirrors, yaml.dockerfiles);
  }
}
