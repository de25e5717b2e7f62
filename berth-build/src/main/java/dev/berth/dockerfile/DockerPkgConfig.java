package dev.berth.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * docker-pkg's {@code config.yaml}, read as it stands: the keys that shape images, and every other
 * key as a template variable. Credentials (username, password and anything named like a secret)
 * are kept out of the template variables.
 */
public record DockerPkgConfig(
    Path file,
    String registry,
    String namespace,
    String seedImage,
    List<String> baseImages,
    Map<String, String> knownUidMappings,
    String aptOptions,
    String httpProxy,
    String aptOnlyProxy,
    Map<String, Object> templateVariables) {

  public static final String FILE_NAME = "config.yaml";
  private static final Pattern CREDENTIAL = Pattern.compile("(?i).*(username|password|passwd|secret|token|credential).*");

  public DockerPkgConfig {
    baseImages = List.copyOf(baseImages);
    knownUidMappings = Map.copyOf(knownUidMappings);
    templateVariables = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(templateVariables));
  }

  /** docker-pkg's default {@code known_uid_mappings} (Debian's system users), used when config.yaml has none. */
  public static final Map<String, String> DEFAULT_UIDS = Map.of("root", "0", "www-data", "33", "nobody", "65534");

  public static DockerPkgConfig empty() {
    return new DockerPkgConfig(null, null, null, null, List.of(), DEFAULT_UIDS, "", null, null, Map.of("apt_options", ""));
  }

  /** Reads {@code file}; a missing file is an error (callers decide whether one is needed). */
  public static DockerPkgConfig load(Path file) {
    Map<String, Object> raw;
    String text = dev.berth.spec.YamlErrors.readText(file);
    try {
      raw = text.isBlank() ? null : new YAMLMapper().readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw dev.berth.spec.YamlErrors.translate(file, e);
    }
    if (raw == null) {
      raw = new LinkedHashMap<>();
    }
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put("apt_options", "");
    raw.forEach((key, value) -> {
      if (!CREDENTIAL.matcher(key).matches() && value != null) {
        variables.put(key, value);
      }
    });
    Map<String, String> uids = new LinkedHashMap<>();
    Object mappings = raw.get("known_uid_mappings");
    if (mappings == null) {
      uids.putAll(DEFAULT_UIDS);
    } else {
      if (!(mappings instanceof Map<?, ?> map)) {
        throw new SpecException(file, "'known_uid_mappings' must be a mapping of user name to uid");
      }
      map.forEach((user, uid) -> uids.put(String.valueOf(user), String.valueOf(uid)));
    }
    return new DockerPkgConfig(file, string(file, raw, "registry"), string(file, raw, "namespace"),
        string(file, raw, "seed_image"), strings(file, raw, "base_images"), uids,
        raw.get("apt_options") == null ? "" : string(file, raw, "apt_options"), string(file, raw, "http_proxy"),
        string(file, raw, "apt_only_proxy"), variables);
  }

  /** {@code [registry/][namespace/]name}, as docker-pkg names images. */
  public String fullName(String shortName) {
    String name = namespace == null || namespace.isEmpty() ? shortName : namespace + "/" + shortName;
    return registry == null || registry.isEmpty() ? name : registry + "/" + name;
  }

  /** The build arguments docker-pkg passes: the proxy, when one is configured. */
  public Map<String, String> buildArgs() {
    if (httpProxy == null || httpProxy.isEmpty()) {
      return Map.of();
    }
    return Map.of("http_proxy", httpProxy, "https_proxy", httpProxy, "HTTP_PROXY", httpProxy, "HTTPS_PROXY", httpProxy);
  }

  private static String string(Path file, Map<String, Object> raw, String key) {
    Object value = raw.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Map || value instanceof List) {
      throw new SpecException(file, "'" + key + "' must be a string");
    }
    return String.valueOf(value);
  }

  private static List<String> strings(Path file, Map<String, Object> raw, String key) {
    Object value = raw.get(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List<?> list)) {
      throw new SpecException(file, "'" + key + "' must be a list of image references");
    }
    List<String> out = new ArrayList<>();
    list.forEach(item -> out.add(String.valueOf(item)));
    return out;
  }
}
