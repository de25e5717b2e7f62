package dev.berth.engine.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 to a Docker engine, one connection per request, over whatever {@link EngineEndpoint}
 * connects: requests with a file or JSON body and extra headers, answers read as they arrive.
 */
final class EngineHttp {
  private static final int MAX_BODY = 16 << 20;

  private final EngineEndpoint endpoint;

  EngineHttp(EngineEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** A request body: a file streamed from disk, or bytes. */
  record Upload(Path file, byte[] bytes, String contentType) {
    static Upload file(Path file, String contentType) {
      return new Upload(file, null, contentType);
    }

    static Upload json(Object value) {
      return new Upload(null, Json.canonical(value), "application/json");
    }

    long length() throws IOException {
      return file != null ? Files.size(file) : bytes.length;
    }

    void writeTo(OutputStream out) throws IOException {
      if (file != null) {
        try (InputStream in = Files.newInputStream(file)) {
          in.transferTo(out);
        }
      } else {
        out.write(bytes);
      }
    }
  }

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
  record Answer(EngineEndpoint.Connection connection, int status, InputStream body) implements AutoCloseable {
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
      connection.close();
    }
  }

  Response call(String method, String path, Upload upload) throws IOException {
    return call(method, path, upload, Map.of());
  }

  Response call(String method, String path, Upload upload, Map<String, String> headers) throws IOException {
    try (Answer answer = open(method, path, upload, headers)) {
      return answer.toResponse();
    }
  }

  Answer open(String method, String path, Upload upload, Map<String, String> headers) throws IOException {
    EngineEndpoint.Connection connection = endpoint.connect();
    try {
      OutputStream out = connection.out();
      StringBuilder head = new StringBuilder()
          .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
          .append("Host: docker\r\nConnection: close\r\n");
      headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
      if (upload != null) {
        head.append("Content-Type: ").append(upload.contentType())
            .append("\r\nContent-Length: ").append(upload.length()).append("\r\n");
      }
      out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      if (upload != null) {
        upload.writeTo(out);
      }
      out.flush();
      return readHead(connection, new BufferedInputStream(connection.in(), 1 << 16));
    } catch (java.net.SocketException e) {
      connection.close();
      throw new EngineUnavailableException(endpoint.address() + ": the connection broke off (" + e.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private Answer readHead(EngineEndpoint.Connection connection, InputStream in) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new EngineUnavailableException(endpoint.address() + ": not an HTTP answer"
          + (statusLine.isEmpty() ? " (the connection closed)" : ": '" + statusLine + "'"));
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
    InputStream body = chunked ? new ChunkedBody(in, endpoint)
        : contentLength >= 0 ? new LimitedBody(in, contentLength) : in;
    return new Answer(connection, status, body);
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

  /** A body in HTTP/1.1 chunked transfer encoding, decoded as it is read; cut short, the engine is at fault. */
  private static final class ChunkedBody extends Body {
    private final InputStream in;
    private final EngineEndpoint endpoint;
    private long chunkLeft;
    private boolean done;

    ChunkedBody(InputStream in, EngineEndpoint endpoint) {
      this.in = in;
      this.endpoint = endpoint;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkLeft == 0) {
        String sizeLine = line(in);
        if (sizeLine.isBlank()) {
          throw brokenOff();
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
        throw brokenOff();
      }
      chunkLeft -= n;
      if (chunkLeft == 0) {
        line(in);
      }
      return n;
    }

    private IOException brokenOff() {
      return new EngineUnavailableException(endpoint.address()
          + ": the engine closed the connection in the middle of an answer");
    }
  }
}
