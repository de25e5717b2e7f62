package dev.berth.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.docker.EngineHttp.Response;
import dev.berth.oci.Json;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An engine pulling, tagging and pushing images against a registry, and running a command in an
 * image. Registry credentials travel only in the {@code X-Registry-Auth} header ({@link RegistryAuth}),
 * never in a query, a body or a message.
 */
public final class EngineImages {
  private final DockerEngine engine;

  EngineImages(DockerEngine engine) {
    this.engine = engine;
  }

  /** Credentials for one registry, as the engine takes them; {@link #toString} never shows the secret. */
  public record RegistryAuth(String username, String password, String serverAddress) {
    public static RegistryAuth anonymous(String serverAddress) {
      return new RegistryAuth(null, null, serverAddress);
    }

    String header() {
      Map<String, String> auth = new LinkedHashMap<>();
      if (username != null) {
        auth.put("username", username);
        auth.put("password", password);
      }
      auth.put("serveraddress", serverAddress);
      return Base64.getUrlEncoder().encodeToString(Json.canonical(auth));
    }

    @Override
    public String toString() {
      return "RegistryAuth[" + serverAddress + (username == null ? "" : ", " + username + ", ***") + "]";
    }
  }

  /** Pulls {@code repository} at {@code tagOrDigest} ({@code sha256:…} pins it) into the engine. */
  public void pull(String repository, String tagOrDigest, RegistryAuth auth) throws IOException {
    String path = DockerEngine.api() + "/images/create?fromImage=" + query(repository) + "&tag=" + query(tagOrDigest);
    Response response = engine.http().call("POST", path, null, Map.of("X-Registry-Auth", auth.header()));
    if (response.status() != 200) {
      throw engine.failure("pull " + repository + ":" + tagOrDigest, response);
    }
    for (JsonNode message : response.jsonLines()) {
      if (message.hasNonNull("error")) {
        throw new IOException(engine.address() + ": pull " + repository + "@" + tagOrDigest + ": "
            + message.get("error").asText().strip());
      }
    }
  }

  /** Names {@code image} also {@code repository:tag} in the engine. */
  public void tag(String image, String repository, String tag) throws IOException {
    Response response = engine.http().call("POST", DockerEngine.api() + "/images/" + DockerEngine.encode(image)
        + "/tag?repo=" + query(repository) + "&tag=" + query(tag), null);
    if (response.status() != 201 && response.status() != 200) {
      throw engine.failure("tag " + image + " as " + repository + ":" + tag, response);
    }
  }

  /** Pushes {@code repository:tag} and returns the manifest digest the engine reports. */
  public String push(String repository, String tag, RegistryAuth auth) throws IOException {
    String digest = null;
    try (EngineHttp.Answer answer = engine.http().open("POST", DockerEngine.api() + "/images/"
        + DockerEngine.encode(repository) + "/push?tag=" + query(tag), null, Map.of("X-Registry-Auth", auth.header()))) {
      if (answer.status() != 200) {
        throw engine.failure("push " + repository + ":" + tag, answer.toResponse());
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message = Json.tree(line.getBytes(StandardCharsets.UTF_8));
        if (message.hasNonNull("error")) {
          throw new IOException(engine.address() + ": push " + repository + ":" + tag + ": "
              + message.get("error").asText().strip());
        }
        if (message.path("aux").hasNonNull("Digest")) {
          digest = message.path("aux").path("Digest").asText();
        }
      }
    }
    if (digest == null) {
      throw new EngineUnavailableException(engine.address() + ": the push stream of " + repository + ":" + tag
          + " ended without a digest");
    }
    return digest;
  }

  /** How a command in a container ended: its exit status and its output (stdout and stderr, interleaved). */
  public record Exit(int status, List<String> output) {}

  /**
   * Runs {@code argv} in {@code image} with no network (entrypoint cleared; the image's user, working
   * directory and environment), waits for it, passes its output to {@code output}, and removes it.
   */
  public Exit run(String image, List<String> argv, dev.berth.event.OutputLines output) throws IOException {
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("Image", image);
    create.put("Entrypoint", List.of());
    create.put("Cmd", argv);
    create.put("NetworkDisabled", true);
    create.put("HostConfig", Map.of("NetworkMode", "none"));
    Response created = engine.http().call("POST", DockerEngine.api() + "/containers/create",
        EngineHttp.Upload.json(create));
    if (created.status() != 201) {
      throw engine.failure("create a container of " + image, created);
    }
    String id = Json.tree(created.body()).path("Id").asText();
    try {
      Response started = engine.http().call("POST", DockerEngine.api() + "/containers/" + id + "/start", null);
      if (started.status() != 204 && started.status() != 304) {
        throw engine.failure("start a container of " + image, started);
      }
      Response waited = engine.http().call("POST", DockerEngine.api() + "/containers/" + id + "/wait", null);
      if (waited.status() != 200) {
        throw engine.failure("wait for a container of " + image, waited);
      }
      int status = Json.tree(waited.body()).path("StatusCode").asInt(-1);
      List<String> lines = logs(id);
      lines.forEach(output::line);
      return new Exit(status, lines);
    } finally {
      engine.http().call("DELETE", DockerEngine.api() + "/containers/" + id + "?force=1&v=1", null);
    }
  }

  /** A stopped container's output: the engine frames it (8-byte headers) when there is no terminal. */
  private List<String> logs(String id) throws IOException {
    try (EngineHttp.Answer answer = engine.http().open("GET", DockerEngine.api() + "/containers/" + id
        + "/logs?stdout=1&stderr=1", null, Map.of())) {
      if (answer.status() != 200) {
        throw engine.failure("read a container's output", answer.toResponse());
      }
      DataInputStream in = new DataInputStream(answer.body());
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      byte[] header = new byte[8];
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException end) {
          break;
        }
        int length = (header[4] & 0xff) << 24 | (header[5] & 0xff) << 16 | (header[6] & 0xff) << 8 | header[7] & 0xff;
        byte[] frame = new byte[length];
        in.readFully(frame);
        if (text.size() < (1 << 20)) {
          text.write(frame);
        }
      }
      return text.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
