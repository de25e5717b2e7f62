package dev.berth.dockerfile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker-pkg's configuration as docker-pkg reads it: its defaults, then the user's
 * {@code $XDG_CONFIG_HOME/docker-pkg.yaml}, then the tree's {@code config.yaml}, merged key by key
 * (top-level keys replace, as docker-pkg's {@code dict.update}). {@code apt_only_proxy} falls back to
 * {@code http_proxy}. Every key is a template variable, as in docker-pkg; the keys docker-pkg gives a
 * meaning are type-checked here and honoured by berth (see each accessor).
 *
 * @param file the tree's config file (null when there is none)
 * @param values the merged configuration; a YAML null is Java null
 */
public record DockerPkgConfig(Path file, Map<String, Object> values) {
  public static final String FILE_NAME = "config.yaml";
  public static final String USER_FILE_NAME = "docker-pkg.yaml";

  public DockerPkgConfig {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** docker-pkg's defaults, key for key. */
  static Map<String, Object> defaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("registry", "");
    defaults.put("username", null);
    defaults.put("password", null);
    defaults.put("base_images", List.of());
    defaults.put("apt_options", "");
    defaults.put("http_proxy", null);
    defaults.put("apt_only_proxy", null);
    defaults.put("namespace", "");
    defaults.put("scan_workers", 8);
    defaults.put("fallback_author", "Author");
    defaults.put("fallback_email", "email@domain");
    defaults.put("distribution", "wikimedia");
    defaults.put("update_id", "s");
    defaults.put("ca_bundle", null);
    defaults.put("force_numeric_user", false);
    Map<String, Object> uids = new LinkedHashMap<>();
    uids.put("root", 0);
    uids.put("www-data", 33);
    uids.put("nobody", 65534);
    defaults.put("known_uid_mappings", uids);
    defaults.put("verify_command", "/bin/bash");
    defaults.put("verify_args", List.of("-c", "{path}/test.sh {image}"));
    return defaults;
  }

  /** docker-pkg's defaults alone (a tree without config.yaml, and no user file). */
  public static DockerPkgConfig empty() {
    return of(null, Map.of(), null, Map.of());
  }

  /** The user's file, {@code $XDG_CONFIG_HOME/docker-pkg.yaml} (default {@code ~/.config}). */
  public static Path userFile() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path home = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return home.resolve(USER_FILE_NAME);
  }

  /** Reads {@code file} (a missing file is an error) merged over the user's file and docker-pkg's defaults. */
  public static DockerPkgConfig load(Path file) {
    return load(file, userFile());
  }

  /** As {@link #load(Path)} with an explicit user file (null or missing: none). */
  public static DockerPkgConfig load(Path file, Path userFile) {
    Map<String, Object> user = userFile != null && Files.isRegularFile(userFile) ? read(userFile) : Map.of();
    return of(file, file == null ? Map.of() : read(file), userFile, user);
  }

  /** The defaults, the user's values over them, then the tree's. */
  static DockerPkgConfig of(Path file, Map<String, Object> tree, Path userFile, Map<String, Object> user) {
    Map<String, Object> merged = defaults();
    merged.putAll(user);
    merged.putAll(tree);
    if (merged.get("http_proxy") != null && merged.get("apt_only_proxy") == null) {
      merged.put("apt_only_proxy", merged.get("http_proxy"));
    }
    DockerPkgConfig config = new DockerPkgConfig(file, merged);
    config.validate(key -> tree.containsKey(key) ? file : user.containsKey(key) ? userFile : null);
    return config;
  }

  private static Map<String, Object> read(Path file) {
    String text = dev.berth.spec.YamlErrors.readText(file);
    JsonNode node;
    try {
      node = text.isBlank() ? null : new YAMLMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw dev.berth.spec.YamlErrors.translate(file, e);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      String found = node.isArray() ? "a list" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
          : node.isBoolean() ? "true or false" : "a " + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
      throw new SpecException(file, 1, "docker-pkg's config must be a mapping of keys to values, not " + found);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> values = new ObjectMapper().convertValue(node, LinkedHashMap.class);
    return values;
  }

  /** Type checks of the keys docker-pkg gives a meaning; {@code origin} names the file a key came from. */
  private void validate(java.util.function.Function<String, Path> origin) {
    for (String key : List.of("registry", "namespace", "apt_options", "http_proxy", "apt_only_proxy", "username",
        "password", "ca_bundle", "seed_image", "fallback_author", "fallback_email", "distribution", "update_id",
        "verify_command")) {
      Object value = values.get(key);
      if (value instanceof Map || value instanceof List) {
        throw refused(origin, key, "must be a string");
      }
    }
    if (!(values.get("base_images") instanceof List<?> bases) || bases.stream().anyMatch(b -> !(b instanceof String))) {
      throw refused(origin, "base_images", "must be a list of image references");
    }
    if (!(values.get("verify_args") instanceof List<?> args) || args.stream().anyMatch(a -> !(a instanceof String))) {
      throw refused(origin, "verify_args", "must be a list of strings");
    }
    if (!(values.get("known_uid_mappings") instanceof Map<?, ?>)) {
      throw refused(origin, "known_uid_mappings", "must be a mapping of user name to uid");
    }
    if (!(values.get("force_numeric_user") instanceof Boolean) && values.get("force_numeric_user") != null) {
      throw refused(origin, "force_numeric_user", "must be true or false");
    }
    if (!(values.get("scan_workers") instanceof Number)) {
      throw refused(origin, "scan_workers", "must be a number");
    }
    if (values.get("ca_bundle") != null) {
      throw refused(origin, "ca_bundle", "is not supported by berth: add the CA to the system's trust store"
          + " (update-ca-certificates) or give the registry's certificates with --cert-dir");
    }
    Object registry = values.get("registry");
    if (registry == null) {
      throw refused(origin, "registry", "cannot be null: berth, like docker-pkg, then has no name for the images");
    }
  }

  private SpecException refused(java.util.function.Function<String, Path> origin, String key, String why) {
    Path from = origin.apply(key);
    return new SpecException(from == null ? Path.of("docker-pkg defaults") : from, line(from, key),
        "'" + key + "' " + why);
  }

  private static int line(Path file, String key) {
    if (file == null) {
      return 0;
    }
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(key + ":")) {
          return i + 1;
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return 0;
  }

  /** A value as docker-pkg would print it in a format string (Python's {@code str}). */
  private String text(String key) {
    Object value = values.get(key);
    return value == null ? null : Py.str(value);
  }

  /** {@code registry}: the host (and path) images are named under; "" for none. */
  public String registry() {
    return text("registry");
  }

  /** {@code namespace}: the path under the registry; "" for none. */
  public String namespace() {
    return text("namespace") == null ? "" : text("namespace");
  }

  /** {@code seed_image}: kept for templates; docker-pkg itself does not use it either. */
  public String seedImage() {
    return text("seed_image");
  }

  /** {@code base_images}: what {@code image_tag} resolves besides the tree's images, and what a pull refreshes. */
  public List<String> baseImages() {
    List<String> out = new ArrayList<>();
    ((List<?>) values.get("base_images")).forEach(item -> out.add((String) item));
    return out;
  }

  /** {@code known_uid_mappings}: user name → uid, for the {@code uid} and {@code add_user} filters. */
  public Map<String, String> knownUidMappings() {
    Map<String, String> out = new LinkedHashMap<>();
    ((Map<?, ?>) values.get("known_uid_mappings")).forEach((user, uid) -> out.put(Py.str(user), Py.str(uid)));
    return out;
  }

  /**
   * The whole environment docker-pkg gives its verify command: the proxy variables of {@link #buildArgs()}
   * and {@code PATH} when it is set and not empty; nothing else of the caller's environment.
   */
  public Map<String, String> verifyEnvironment(String path) {
    Map<String, String> out = new java.util.TreeMap<>(buildArgs());
    if (path != null && !path.isEmpty()) {
      out.put("PATH", path);
    }
    return Map.copyOf(out);
  }

  /** {@code apt_options}, as the {@code apt_install} filter prints it. */
  public String aptOptions() {
    return text("apt_options") == null ? "None" : text("apt_options");
  }

  /** {@code http_proxy}: build arguments and the environment of test scripts; null for none. */
  public String httpProxy() {
    return text("http_proxy");
  }

  /** {@code apt_only_proxy}, or {@code http_proxy} when unset; null or "" for none. */
  public String aptOnlyProxy() {
    return text("apt_only_proxy");
  }

  /** {@code username}/{@code password}: publishing is off unless both are set, as in docker-pkg. */
  public String username() {
    return text("username");
  }

  public String password() {
    return text("password");
  }

  /** {@code ca_bundle}: always null (a set one is refused when the config is read). */
  public String caBundle() {
    return text("ca_bundle");
  }

  /** {@code force_numeric_user}: a Dockerfile whose last USER is not numeric is refused. */
  public boolean forceNumericUser() {
    return Boolean.TRUE.equals(values.get("force_numeric_user"));
  }

  /** {@code verify_command} and {@code verify_args}: how an image's test.sh is run ({path}, {image}). */
  public String verifyCommand() {
    return text("verify_command");
  }

  public List<String> verifyArgs() {
    List<String> out = new ArrayList<>();
    ((List<?>) values.get("verify_args")).forEach(item -> out.add((String) item));
    return out;
  }

  /** {@code fallback_author}/{@code fallback_email}, {@code distribution}, {@code update_id}: changelog updates. */
  public String fallbackAuthor() {
    return text("fallback_author");
  }

  public String fallbackEmail() {
    return text("fallback_email");
  }

  public String distribution() {
    return text("distribution");
  }

  public String updateId() {
    return text("update_id") == null ? "" : text("update_id");
  }

  /** Every value, as the templates see them (docker-pkg renders with the whole configuration). */
  public Map<String, Object> templateVariables() {
    return values;
  }

  /** {@code registry/namespace/name}, joined as docker-pkg joins them (Python's {@code os.path.join}). */
  public String fullName(String shortName) {
    return Py.pathJoin(registry(), namespace(), shortName);
  }

  /** The build arguments docker-pkg passes: the proxy, when one is configured. */
  public Map<String, String> buildArgs() {
    String proxy = httpProxy();
    if (proxy == null) {
      return Map.of();
    }
    return Map.of("http_proxy", proxy, "https_proxy", proxy, "HTTP_PROXY", proxy, "HTTPS_PROXY", proxy);
  }
}
