package dev.berth.graph;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.spec.SpecException;
import dev.berth.spec.YamlErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code berth.yaml} at a tree's root: where images are published, the platforms (the first is the default), how many
 * images build at once, template variables, the Docker engines that build ({@code workers}), and Docker Hub mirrors ({@code registryMirrors}, as
 * dockerd's {@code registry-mirrors}: URLs tried in order before Docker Hub).
 */
public record TreeConfig(String registry, Platform platform, Integer jobs, Map<String, String> variables,
    boolean insecure, java.util.List<String> registryMirrors, java.util.List<DockerfileImage> dockerfiles,
    java.util.List<Worker> workers, dev.berth.oci.Platforms platforms) {
  public static final String FILE_NAME = "berth.yaml";

  /** A config whose only platform is {@code platform}. */
  public TreeConfig(String registry, Platform platform, Integer jobs, Map<String, String> variables,
      boolean insecure, java.util.List<String> registryMirrors, java.util.List<DockerfileImage> dockerfiles,
      java.util.List<Worker> workers) {
    this(registry, platform, jobs, variables, insecure, registryMirrors, dockerfiles, workers,
        dev.berth.oci.Platforms.of(platform));
  }

  public TreeConfig {
    platforms = platforms == null ? dev.berth.oci.Platforms.of(platform) : platforms;
    if (!platforms.first().equals(platform)) {
      throw new IllegalArgumentException("the default platform " + platform + " is not the first of " + platforms);
    }
    variables = variables == null ? Map.of() : Map.copyOf(variables);
    registryMirrors = registryMirrors == null ? java.util.List.of() : java.util.List.copyOf(registryMirrors);
    dockerfiles = dockerfiles == null ? java.util.List.of() : java.util.List.copyOf(dockerfiles);
    workers = workers == null ? java.util.List.of() : java.util.List.copyOf(workers);
  }

  /**
   * A Docker engine that builds for the tree ({@code workers:}): {@code url} is {@code tcp://HOST:PORT}
   * or {@code unix:///PATH}; {@code tls} a directory with ca.pem, cert.pem and key.pem, relative to the tree.
   */
  public record Worker(@JsonProperty("url") String url, @JsonProperty("tls") String tls) {}

  /**
   * An image built from a Dockerfile that is not {@code FOLDER/Dockerfile}, as a bake target: its
   * build {@code context} and {@code dockerfile}, both relative to the tree, and an optional {@code target} stage.
   */
  public record DockerfileImage(@JsonProperty("name") String name, @JsonProperty("context") String context,
      @JsonProperty("dockerfile") String dockerfile, @JsonProperty("target") String target) {}

  public TreeConfig(String registry, Platform platform, Integer jobs, Map<String, String> variables,
      boolean insecure) {
    this(registry, platform, jobs, variables, insecure, java.util.List.of(), java.util.List.of(), java.util.List.of());
  }

  public static TreeConfig defaults() {
    return new TreeConfig(null, Platform.LINUX_AMD64, null, Map.of(), false);
  }

  static final class Yaml {
    @JsonProperty String registry;
    @JsonProperty String platform;
    @JsonProperty java.util.List<String> platforms;
    @JsonProperty Integer jobs;
    @JsonProperty Map<String, String> variables;
    @JsonProperty Boolean insecure;
    @JsonProperty java.util.List<String> registryMirrors;
    @JsonProperty java.util.List<DockerfileImage> dockerfiles;
    @JsonProperty java.util.List<Worker> workers;
  }

  public static TreeConfig load(Path tree) {
    Path file = tree.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return defaults();
    }
    String text = YamlErrors.readText(file);
    ObjectMapper mapper = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    Yaml yaml;
    try {
      yaml = text.isBlank() ? null : mapper.readValue(text, Yaml.class);
    } catch (JsonProcessingException e) {
      throw YamlErrors.translate(file, e);
    }
    if (yaml == null) {
      return defaults();
    }
    dev.berth.oci.Platforms platforms = dev.berth.oci.Platforms.of(Platform.LINUX_AMD64);
    if (yaml.platform != null && yaml.platforms != null) {
      throw new SpecException(file, lineOf(text, "platforms"), "give 'platform' or 'platforms', not both");
    }
    try {
      if (yaml.platform != null) {  // "linux/amd64,linux/arm64" is a list too, as ImageSpec's platform
        platforms = dev.berth.oci.Platforms.parse(yaml.platform);
      } else if (yaml.platforms != null) {
        platforms = dev.berth.oci.Platforms.parse(yaml.platforms);
      }
    } catch (IllegalArgumentException e) {
      throw new SpecException(file, lineOf(text, yaml.platform != null ? "platform" : "platforms"), e.getMessage());
    }
    Platform platform = platforms.first();
    if (yaml.jobs != null && yaml.jobs < 1) {
      throw new SpecException(file, lineOf(text, "jobs"), "'jobs' must be at least 1");
    }
    if (yaml.registry != null) {
      registryProblem(yaml.registry).ifPresent(problem -> {
        throw new SpecException(file, lineOf(text, "registry"), problem);
      });
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
    if (yaml.workers != null) {
      for (Worker worker : yaml.workers) {
        if (worker == null || worker.url() == null || !worker.url().matches("(tcp|unix)://.+")) {
          throw new SpecException(file, lineOf(text, "workers"), "each of 'workers' needs a url: tcp://HOST:PORT "
              + "or unix:///PATH (with tls: DIR for mutual TLS)");
        }
      }
      yaml.workers = yaml.workers.stream().map(worker -> new Worker(worker.url(), worker.tls() == null ? null
          : tree.resolve(worker.tls()).toString())).toList();
    }
    return new TreeConfig(yaml.registry, platform, yaml.jobs, yaml.variables,
        yaml.insecure != null && yaml.insecure, yaml.registryMirrors, yaml.dockerfiles, yaml.workers, platforms);
  }

  /** Why {@code registry} (HOST[:PORT][/NAMESPACE]) cannot prefix image names, if it cannot. */
  public static Optional<String> registryProblem(String registry) {
    String hint = "'registry' is HOST[:PORT][/NAMESPACE] without a scheme, not '" + registry + "'";
    if (registry.isBlank() || registry.contains("://")) {
      return Optional.of(hint);
    }
    String trimmed = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
    try {
      ImageReference reference = ImageReference.parse(trimmed + "/example:latest");
      if (reference.registry() == null) {
        return Optional.of(hint + ": the first part must be a host (with a dot or a port, or localhost)");
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(hint + ": " + e.getMessage());
    }
  }

  /** The line where {@code key:} is set at the top level (bound values carry no location). */
  private static int lineOf(String text, String key) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(key + ":")) {
        return i + 1;
      }
    }
    return 0;
  }
}
