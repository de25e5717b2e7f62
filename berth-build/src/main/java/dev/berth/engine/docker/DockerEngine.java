package dev.berth.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small Docker Engine API client over the engine's Unix socket (HTTP/1.1, one connection per call):
 * what berth needs to hand images to a running dockerd.
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
      return call("GET", "/_ping", null, 0, null).status() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Loads a docker-archive ({@code docker save} format) and returns the names the engine reports. */
  public List<String> load(Path archive) throws IOException {
    Response response = call("POST", "/images/load?quiet=1", Files.newInputStream(archive), Files.size(archive),
        "application/x-tar");
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
      throw new IOException("docker engine at " + address() + " answered " + response.status() + " to an image load: "
          + response.text());
    }
    return loaded;
  }

  /** Removes an image by name or id (quietly succeeds when it is not there). */
  public void remove(String image) throws IOException {
    Response response = call("DELETE", "/images/" + image + "?force=1", null, 0, null);
    if (response.status() != 200 && response.status() != 404) {
      throw new IOException("docker engine at " + address() + " could not remove " + image + ": " + response.text());
    }
  }

  /** The image's inspect document, or null when the engine has no such image. */
  public JsonNode inspect(String image) throws IOException {
    Response response = call("GET", "/images/" + image + "/json", null, 0, null);
    if (response.status() == 404) {
      return null;
    }
    if (response.status() != 200) {
      throw new IOException("docker engine at " + address() + " could not inspect " + image + ": " + response.text());
    }
    return Json.tree(response.body());
  }

  record Response(int status, byte[] body) {
    String text() {
      String text = new String(body, StandardCharsets.UTF_8).strip();
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

  private Response call(String method, String path, InputStream body, long length, String contentType)
      throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        throw new IOException("no Docker engine at " + address() + " (" + e.getMessage() + ")", e);
      }
      OutputStream out = Channels.newOutputStream(channel);
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: docker\r\nConnection: close\r\n");
      if (body != null) {
        head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(length).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      if (body != null) {
        try (InputStream in = body) {
          in.transferTo(out);
        }
      }
      out.flush();
      return read(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
    }
  }

  private static Response read(InputStream in) throws IOException {
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
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (chunked) {
      while (true) {
        String sizeLine = line(in);
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          break;
        }
        copy(in, body, size);
        line(in);
      }
    } else if (contentLength >= 0) {
      copy(in, body, contentLength);
    } else {
      copy(in, body, MAX_BODY);
    }
    return new Response(status, body.toByteArray());
  }

  private static void copy(InputStream in, ByteArrayOutputStream body, long count) throws IOException {
    byte[] buffer = new byte[8192];
    long left = count;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        return;
      }
      if (body.size() + n > MAX_BODY) {
        throw new IOException("the docker engine's answer is larger than " + MAX_BODY + " bytes");
      }
      body.write(buffer, 0, n);
      left -= n;
    }
  }

  private static String line(InputStream in) throws IOException {
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
}
