package dev.berth.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.docker.EngineHttp.Response;
import dev.berth.oci.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import dev.berth.event.OutputLines;

/**
 * A small Docker Engine API client (HTTP/1.1, one connection per call, over the engine's Unix socket or
 * TCP with mutual TLS): what berth needs to build in a running dockerd, to hand images to it and back,
 * and to have it pull, push and run them ({@link #registryOps}).
 */
public final class DockerEngine {
  public static final Path DEFAULT_SOCKET = EngineEndpoint.DEFAULT_SOCKET;
  /** The oldest Engine API berth speaks (Docker 19.03); requests name it, so newer engines answer as it says. */
  public static final String MINIMUM_API = "1.40";
  private static final String API = "/v" + MINIMUM_API;

  private final EngineEndpoint endpoint;
  private final EngineHttp http;

  public DockerEngine(Path socket) {
    this(new EngineEndpoint.Unix(socket));
  }

  public DockerEngine(EngineEndpoint endpoint) {
    this.endpoint = endpoint;
    this.http = new EngineHttp(endpoint);
  }

  /**
   * The engine Docker's client would use: {@code DOCKER_HOST} ({@code unix://} or {@code tcp://}),
   * with TLS from {@code DOCKER_CERT_PATH} when {@code DOCKER_TLS_VERIFY} is set; else the default socket.
   */
  public static DockerEngine fromEnvironment(Map<String, String> environment) {
    return new DockerEngine(EngineEndpoint.fromEnvironment(environment, false));
  }

  /**
   * An engine named by its URL ({@code unix:///PATH} or {@code tcp://HOST:PORT}) and, for TCP, a
   * directory with ca.pem, cert.pem and key.pem; plain TCP off loopback only when {@code insecure}.
   */
  public static DockerEngine connect(String url, Path tlsDirectory, boolean insecure, Duration stallLimit) {
    return new DockerEngine(EngineEndpoint.parse(url, tlsDirectory, insecure, stallLimit));
  }

  public String address() {
    return endpoint.address();
  }

  EngineHttp http() {
    return http;
  }

  static String api() {
    return API;
  }

  /** Pull, push, tag and run: what a fleet worker is asked to do besides building. */
  public EngineImages registryOps() {
    return new EngineImages(this);
  }

  /** Whether an engine answers {@code GET /_ping}. */
  public boolean available() {
    if (endpoint instanceof EngineEndpoint.Unix unix && !Files.exists(unix.socket())) {
      return false;
    }
    try {
      return http.call("GET", "/_ping", null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The engine's version ({@code GET /version}). */
  public String version() throws IOException {
    return versionInfo().version();
  }

  /** What {@code GET /version} says: the engine's release, its newest API, its OS and architecture. */
  public record EngineVersion(String version, String apiVersion, String os, String arch) {
    /** Whether the engine speaks {@link #MINIMUM_API} or later. */
    public boolean supported() {
      return compareApi(apiVersion, MINIMUM_API) >= 0;
    }
  }

  public EngineVersion versionInfo() throws IOException {
    Response response = http.call("GET", "/version", null);
    if (response.status() != 200) {
      throw failure("report its version", response);
    }
    JsonNode json = Json.tree(response.body());
    return new EngineVersion(json.path("Version").asText("unknown"), json.path("ApiVersion").asText("0"),
        json.path("Os").asText(""), json.path("Arch").asText(""));
  }

  /** The engine's version, or a one-line error naming it when it is unreachable or its API is too old. */
  public EngineVersion requireSupported() throws IOException {
    EngineVersion version = versionInfo();
    if (!version.supported()) {
      throw new EngineTooOldException(address() + ": engine API " + version.apiVersion() + " (Docker "
          + version.version() + ") is older than " + MINIMUM_API + ", the oldest berth speaks");
    }
    return version;
  }

  /** Compares dotted API versions numerically ({@code 1.9 < 1.40}). */
  static int compareApi(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int x = i < left.length ? number(left[i]) : 0;
      int y = i < right.length ? number(right[i]) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  private static int number(String part) {
    try {
      return Integer.parseInt(part);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Loads a docker-archive ({@code docker save} format) and returns the names the engine reports. */
  public List<String> load(Path archive) throws IOException {
    Response response = http.call("POST", API + "/images/load?quiet=1", EngineHttp.Upload.file(archive, "application/x-tar"));
    List<String> loaded = new ArrayList<>();
    for (JsonNode message : response.jsonLines()) {
      if (message.hasNonNull("error")) {
        throw new IOException("docker engine at " + address() + " refused the image: " + message.get("error").asText());
      }
      String stream = message.path("stream").asText("");
      if (stream.startsWith("Loaded image")) {
        loaded.add(stream.substring(stream.indexOf(':') + 1).strip());
      }
    }
    if (response.status() != 200) {
      throw failure("load an image", response);
    }
    return loaded;
  }

  /** Writes the image as a docker-archive ({@code docker save}) to {@code file}, atomically. */
  public void save(String image, Path file) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial-" + ProcessHandle.current().pid() + "-"
        + java.util.UUID.randomUUID());  // two saves to one file must not share their partial file
    try (EngineHttp.Answer answer = http.open("GET", API + "/images/" + encode(image) + "/get", null, Map.of())) {
      if (answer.status() != 200) {
        throw failure("save " + image, answer.toResponse());
      }
      Files.copy(answer.body(), partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /**
   * What {@code POST /build} takes besides the context: see the Engine API's query parameters.
   *
   * @param noCache build every instruction again (the engine's build cache is not used)
   */
  public record BuildRequest(String tag, String networkMode, Map<String, String> labels, boolean noCache) {
    String query() {
      return "?t=" + encode(tag) + "&rm=1&forcerm=1&pull=0" + (noCache ? "&nocache=1" : "")
          + "&networkmode=" + encode(networkMode)
          + "&labels=" + encode(new String(Json.canonical(labels), StandardCharsets.UTF_8));
    }
  }

  /**
   * Builds a context tar (its {@code Dockerfile} at the root) with the engine's own builder, passing
   * each line of the build's output to {@code output}, and returns the built image's ID. An error in
   * the build stream (a failing RUN, a bad instruction) is a {@link DockerBuildException} with the
   * engine's message.
   */
  public String build(Path context, BuildRequest request, OutputLines output) throws IOException {
    String imageId = null;
    try (EngineHttp.Answer answer = http.open("POST", API + "/build" + request.query(),
        EngineHttp.Upload.file(context, "application/x-tar"), Map.of())) {
      if (answer.status() != 200) {
        throw new DockerBuildException("docker engine at " + address() + " refused the build: "
            + answer.toResponse().message());
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message = Json.tree(line.getBytes(StandardCharsets.UTF_8));
        if (message.hasNonNull("error")) {
          throw new DockerBuildException(message.get("error").asText().strip());
        }
        message.path("stream").asText("").lines().filter(text -> !text.isBlank()).forEach(output::line);
        if (message.path("aux").hasNonNull("ID")) {
          imageId = message.path("aux").path("ID").asText();
        }
      }
    }
    if (imageId == null) {  // the stream ended with neither an error nor an image: the engine went away
      throw new EngineUnavailableException(address() + ": the build stream ended without an image");
    }
    return imageId;
  }

  /** One image the engine has: its ID, names and labels. */
  public record ImageSummary(String id, List<String> repoTags, Map<String, String> labels) {}

  /** Every image of the engine ({@code GET /images/json}). */
  public List<ImageSummary> images() throws IOException {
    Response response = http.call("GET", API + "/images/json", null);
    if (response.status() != 200) {
      throw failure("list its images", response);
    }
    List<ImageSummary> images = new ArrayList<>();
    for (JsonNode image : Json.tree(response.body())) {
      List<String> tags = new ArrayList<>();
      image.path("RepoTags").forEach(tag -> tags.add(tag.asText()));
      Map<String, String> labels = new java.util.TreeMap<>();
      image.path("Labels").fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
      images.add(new ImageSummary(image.path("Id").asText(), List.copyOf(tags), Map.copyOf(labels)));
    }
    return images;
  }

  /** Removes an image by name or id, even when containers use it (quietly succeeds when it is not there). */
  public void remove(String image) throws IOException {
    Response response = http.call("DELETE", API + "/images/" + encode(image) + "?force=1", null);
    if (response.status() != 200 && response.status() != 404) {
      throw failure("remove " + image, response);
    }
  }

  /**
   * Removes one name ({@code docker rmi NAME:TAG} without force): the image goes with its last name
   * unless a container uses it. Returns false when the engine refused because something uses it.
   */
  public boolean untag(String reference) throws IOException {
    Response response = http.call("DELETE", API + "/images/" + encode(reference), null);
    if (response.status() == 409) {
      return false;
    }
    if (response.status() != 200 && response.status() != 404) {
      throw failure("remove " + reference, response);
    }
    return true;
  }

  /** The image's inspect document, or null when the engine has no such image. */
  public JsonNode inspect(String image) throws IOException {
    Response response = http.call("GET", API + "/images/" + encode(image) + "/json", null);
    if (response.status() == 404) {
      return null;
    }
    if (response.status() != 200) {
      throw failure("inspect " + image, response);
    }
    return Json.tree(response.body());
  }

  IOException failure(String what, Response response) {
    return new IOException("docker engine at " + address() + " could not " + what + " (" + response.status() + "): "
        + response.message());
  }

  /** Path segments keep their slashes and colons; everything else is percent-encoded. */
  static String encode(String value) {
    StringJoiner out = new StringJoiner("/");
    for (String part : value.split("/", -1)) {
      out.add(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("%3A", ":").replace("+", "%20"));
    }
    return out.toString();
  }
}
