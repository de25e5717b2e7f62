package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Credentials as docker and skopeo find them: {@code $DOCKER_CONFIG/config.json} (default
 * {@code ~/.docker/config.json}) with {@code credHelpers} per host, a {@code credsStore} for all
 * hosts, or {@code auths} entries (base64 {@code auth}, {@code identitytoken}, {@code registrytoken});
 * helpers are {@code docker-credential-NAME get}.
 * Nothing read here is ever put into a message.
 */
public final class DockerCredentials {
  private static final long HELPER_TIMEOUT_SECONDS = 30;

  private final Path configFile;
  private final Function<String, Optional<Path>> commandLookup;

  /**
   * @param configFile the docker config.json (it need not exist)
   * @param commandLookup finds an executable by name, as a PATH search does
   */
  public DockerCredentials(Path configFile, Function<String, Optional<Path>> commandLookup) {
    this.configFile = configFile;
    this.commandLookup = commandLookup;
  }

  /** Reads the config docker would read in {@code environment}, finding helpers on its PATH. */
  public static DockerCredentials fromEnvironment(Map<String, String> environment) {
    String dockerConfig = environment.get("DOCKER_CONFIG");
    Path directory = dockerConfig != null && !dockerConfig.isBlank()
        ? Path.of(dockerConfig)
        : Path.of(System.getProperty("user.home"), ".docker");
    String path = environment.getOrDefault("PATH", "");
    return new DockerCredentials(directory.resolve("config.json"), name -> searchPath(path, name));
  }

  static Optional<Path> searchPath(String path, String name) {
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(entry, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The credentials configured for registry {@code host} ({@code host[:port]}), if any. Docker Hub's
   * ({@code docker.io}) are where docker keeps them: under {@code https://index.docker.io/v1/}.
   */
  public Optional<Credentials> lookup(String host) throws IOException {
    if (host.equals("docker.io") || host.equals("registry-1.docker.io")) {
      host = "index.docker.io";
    }
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    JsonNode config;
    try {
      config = Json.tree(Files.readAllBytes(configFile));
    } catch (InvalidContentException e) {
      throw new IOException("cannot read docker config " + configFile + ": not valid JSON");
    }
    JsonNode helper = config.path("credHelpers").path(host);
    if (helper.isTextual() && !helper.asText().isEmpty()) {
      return fromHelper(helper.asText(), host);
    }
    Optional<Credentials> inline = fromAuths(config.path("auths"), host);
    if (inline.isPresent()) {
      return inline;
    }
    JsonNode store = config.path("credsStore");
    if (store.isTextual() && !store.asText().isEmpty()) {
      return fromHelper(store.asText(), host.equals("index.docker.io") ? "https://index.docker.io/v1/" : host);
    }
    return Optional.empty();
  }

  private Optional<Credentials> fromAuths(JsonNode auths, String host) throws IOException {
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!hostOf(entry.getKey()).equals(host)) {
        continue;
      }
      String registryToken = entry.getValue().path("registrytoken").asText("");
      if (!registryToken.isEmpty()) {
        return Optional.of(Credentials.registryToken(registryToken));
      }
      String identityToken = entry.getValue().path("identitytoken").asText("");
      String encoded = entry.getValue().path("auth").asText("");
      if (!identityToken.isEmpty()) {
        String user = entry.getValue().path("username").asText("");
        if (user.isEmpty() && !encoded.isEmpty()) {
          user = decode(encoded, host).username();
        }
        return Optional.of(Credentials.identityToken(user, identityToken));
      }
      if (encoded.isEmpty()) {
        String user = entry.getValue().path("username").asText("");
        String password = entry.getValue().path("password").asText("");
        return user.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, password));
      }
      return Optional.of(decode(encoded, host));
    }
    return Optional.empty();
  }

  /** An {@code auth} value: base64 of USER:PASSWORD. */
  private Credentials decode(String encoded, String host) throws IOException {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IOException("the auths entry for " + host + " in " + configFile + " is not valid base64");
    }
    try {
      return Credentials.parse(decoded);
    } catch (IllegalArgumentException e) {
      throw new IOException("the auths entry for " + host + " in " + configFile + " is not USER:PASSWORD");
    }
  }

  /** {@code https://host:5000/v1/} and {@code host:5000} both name {@code host:5000}. */
  static String hostOf(String key) {
    String host = key.replaceFirst("^[a-zA-Z]+://", "");
    int slash = host.indexOf('/');
    return slash < 0 ? host : host.substring(0, slash);
  }

  private Optional<Credentials> fromHelper(String helperName, String host) throws IOException {
    String command = "docker-credential-" + helperName;
    Path executable = commandLookup.apply(command)
        .orElseThrow(() -> new IOException("credential helper " + command + " not found"));
    Process process = new ProcessBuilder(executable.toString(), "get")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(host.getBytes(StandardCharsets.UTF_8));
    }
    byte[] output;
    try (InputStream out = process.getInputStream()) {
      output = out.readNBytes(1 << 20);
    }
    try {
      if (!process.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("credential helper " + command + " did not finish");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running " + command);
    }
    if (process.exitValue() != 0) {
      // Helpers exit non-zero with "credentials not found in native keychain" for unknown hosts.
      return Optional.empty();
    }
    try {
      JsonNode answer = Json.tree(output);
      String user = answer.path("Username").asText("");
      String secret = answer.path("Secret").asText("");
      if (user.equals(Credentials.TOKEN_USER)) {  // docker's convention: the secret is an identity token
        return Optional.of(Credentials.identityToken(user, secret));
      }
      return user.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
    } catch (InvalidContentException e) {
      throw new IOException("credential helper " + command + " printed something that is not JSON");
    }
  }
}
