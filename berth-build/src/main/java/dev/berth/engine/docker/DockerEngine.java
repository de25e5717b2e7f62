package dev.berth.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import dev.berth.event.OutputLines;

/**
 * A small Docker Engine API client over the engine's Unix socket (HTTP/1.1, one connection per call):
 * what berth needs to build in a running dockerd and to hand images to it and back.
 */
public final class DockerEngine {
  public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
  private static final int MAX_BODY = 16 << 20;

  private final Path socket;

  public DockerEngine(Path socket) {
    this.socket = socket;
  }

  /** The engine {@code DOCKER_HOST} names (only {@code unix://}), else the default socket. */
  public static DockerEngine fromEnvironment(Map<String, String> environment) {
    String host = environment.get("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      if (!host.startsWith("unix://")) {
        throw new IllegalArgumentException("DOCKER_HOST=" + host + ": berth talks to the engine over a unix:// socket only");
      }
      return new DockerEngine(Path.of(host.substring("unix://".length())));
    }
    return new DockerEngine(DEFAULT_SOCKET);
  }

  public String address() {
    return "unix://" + socket;
  }

  /** Whether an engine answers {@code GET /_ping}. */
  public boolean available() {
    if (!Files.exists(socket)) {
      return false;
    }
    try {
      return call("GET", "/_ping", null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** The engine's version ({@code GET /version}). */
  public String version() throws IOException {
    Response response = call("GET", "/version", null);
    if (response.status() != 200) {
      throw failure("report its version", response);
    }
    return Json.tree(response.body()).path("Version").asText("unknown");
  }

  /** Loads a docker-archive ({@code docker save} format) and returns the names the engine reports. */
  public List<String> load(Path archive) throws IOException {
    Response response = call("POST", "/images/load?quiet=1", new Upload(archive, "application/x-tar"));
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
    try (Answer answer = open("GET", "/images/" + encode(image) + "/get", null)) {
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
    try (Answer answer = open("POST", "/build" + request.query(), new Upload(context, "application/x-tar"))) {
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
    if (imageId == null) {
      throw new DockerBuildException("the build stream ended without an image");
    }
    return imageId;
  }

  /** One image the engine has: its ID, names and labels. */
  public record ImageSummary(String id, List<String> repoTags, Map<String, String> labels) {}

  /** Every image of the engine ({@code GET /images/json}). */
  public List<ImageSummary> images() throws IOException {
    Response response = call("GET", "/images/json", null);
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
    Response response = call("DELETE", "/images/" + encode(image) + "?force=1", null);
    if (response.status() != 200 && response.status() != 404) {
      throw failure("remove " + image, response);
    }
  }

  /**
   * Removes one name ({@code docker rmi NAME:TAG} without force): the image goes with its last name
   * unless a container uses it. Returns false when the engine refused because something uses it.
   */
  public boolean untag(String reference) throws IOException {
    Response response = call("DELETE", "/images/" + encode(reference), null);
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
    Response response = call("GET", "/images/" + encode(image) + "/json", null);
    if (response.status() == 404) {
      return null;
    }
    if (response.status() != 200) {
      throw failure("inspect " + image, response);
    }
    return Json.tree(response.body());
  }

  private IOException failure(String what, Response response) {
    return new IOException("docker engine at " + address() + " could not " + what + " (" + response.status() + "): "
        + response.message());
  }

  /** Path segments keep their slashes and colons; everything else is percent-encoded. */
  private static String encode(String value) {
    StringJoiner out = new StringJoiner("/");
    for (String part : value.split("/", -1)) {
      out.add(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("%3A", ":").replace("+", "%20"));
    }
    return out.toString();
  }

  private record Upload(Path file, String contentType) {}

  record Response(int status, byte[] body) {
    /** The engine's error message, or the start of the body. */
    String message() {
      String text = new String(body, StandardCharsets.UTF_8).strip();
      try {
        JsonNode json = Json.tree(body);
        if (json.hasNonNull("message")) {
          return json.get("message").asText();
        }
      } catch (RuntimeException notJson) {
        // fall through to the raw text
      }
      return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    List<JsonNode> jsonLines() {
      List<JsonNode> out = new ArrayList<>();
      for (String line : new String(body, StandardCharsets.UTF_8).split("\r?\n")) {
        if (!line.isBlank()) {
          out.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
        }
      }
      return out;
    }
  }

  /** An answer whose body is read as it arrives; closing it closes the connection. */
  private record Answer(SocketChannel channel, int status, InputStream body) implements AutoCloseable {
    Response toResponse() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
        if (out.size() + n > MAX_BODY) {
          throw new IOException("the docker engine's answer is larger than " + MAX_BODY + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return new Response(status, out.toByteArray());
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private Response call(String method, String path, Upload upload) throws IOException {
    try (Answer answer = open(method, path, upload)) {
      return answer.toResponse();
    }
  }

  private Answer open(String method, String path, Upload upload) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new IOException("no Docker engine at " + address() + " (" + e.getMessage() + ")", e);
      }
      OutputStream out = Channels.newOutputStream(channel);
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: docker\r\nConnection: close\r\n");
      if (upload != null) {
        head.append("Content-Type: ").append(upload.contentType())
            .append("\r\nContent-Length: ").append(Files.size(upload.file())).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      if (upload != null) {
        try (InputStream in = Files.newInputStream(upload.file())) {
          in.transferTo(out);
        }
      }
      out.flush();
      return readHead(channel, new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static Answer readHead(SocketChannel channel, InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer from the docker engine: '" + statusLine + "'");
    }
    int status = Integer.parseInt(parts[1]);
    long contentLength = -1;
    boolean chunked = false;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).trim();
      if (name.equals("content-length")) {
        contentLength = Long.parseLong(value);
      } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
        chunked = true;
      }
    }
    InputStream body = chunked ? new ChunkedBody(in) : contentLength >= 0 ? new LimitedBody(in, contentLength) : in;
    return new Answer(channel, status, body);
  }

  static String line(InputStream in) throws IOException {
    StringBuilder out = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  /** A response body, read in blocks; single bytes are read through the block method. */
  private abstract static class Body extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /** A body with a Content-Length: ends after that many bytes. */
  private static final class LimitedBody extends Body {
    private final InputStream in;
    private long left;

    LimitedBody(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /** A body in HTTP/1.1 chunked transfer encoding, decoded as it is read. */
  private static final class ChunkedBody extends Body {
    private final InputStream in;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(InputStream in) {
      this.in = in;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkLeft == 0) {
        String sizeLine = line(in);
        if (sizeLine.isBlank()) {
          throw new IOException("the docker engine closed the connection in the middle of an answer");
        }
        int semicolon = sizeLine.indexOf(';');
        chunkLeft = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (chunkLeft == 0) {
          done = true;
          return -1;
        }
      }
      int n = in.read(buffer, offset, (int) Math.min(length, chunkLeft));
      if (n < 0) {
        throw new IOException("the docker engine closed the connection in the middle of an answer");
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        line(in);
      }
      return n;
    }
  }
}
