package dev.berth.engine.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Where a Docker engine listens: its Unix socket, or {@code tcp://HOST:PORT}, with mutual TLS from a
 * directory holding ca.pem, cert.pem and key.pem ({@code DOCKER_CERT_PATH}'s layout). The engine's
 * certificate is always verified against ca.pem, host name included. Plain TCP is refused for an
 * engine off loopback unless asked for ({@code --insecure}): anyone on the path could run containers.
 */
public sealed interface EngineEndpoint {
  Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
  /** How long an answer may stay silent before the engine counts as stalled (TCP engines). */
  Duration DEFAULT_STALL_LIMIT = Duration.ofMinutes(10);

  /** The engine's URL, as the user wrote it: how errors and listings name it. */
  String address();

  /** One connection, for one request. */
  Connection connect() throws IOException;

  /** An open connection's two directions. */
  record Connection(InputStream in, OutputStream out, AutoCloseable resource) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try {
        resource.close();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  record Unix(Path socket) implements EngineEndpoint {
    @Override
    public String address() {
      return "unix://" + socket;
    }

    @Override
    public Connection connect() throws IOException {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        channel.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        channel.close();
        throw new EngineUnavailableException(address() + ": unreachable (" + reason(e) + ")");
      }
      return new Connection(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
    }
  }

  /** @param tls the client's identity and the CA it trusts; null for plain TCP */
  record Tcp(String host, int port, EngineTls tls, Duration stallLimit) implements EngineEndpoint {
    @Override
    public String address() {
      return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public Connection connect() throws IOException {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(host, port), (int) Math.min(stallLimit.toMillis(), 10_000));
        socket.setSoTimeout((int) Math.min(stallLimit.toMillis(), Integer.MAX_VALUE));
        socket.setTcpNoDelay(true);
        if (tls == null) {
          return new Connection(new Guarded(socket.getInputStream(), this), socket.getOutputStream(), socket);
        }
        SSLSocket secure = (SSLSocket) tls.context().getSocketFactory().createSocket(socket, host, port, true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        secure.startHandshake();
        return new Connection(new Guarded(secure.getInputStream(), this), secure.getOutputStream(), secure);
      } catch (SSLException e) {
        socket.close();
        throw new EngineUnavailableException(address() + ": TLS handshake failed: " + EngineTls.explain(e, tls));
      } catch (SocketTimeoutException e) {
        socket.close();
        throw new EngineUnavailableException(address() + ": unreachable (no answer within the time limit)");
      } catch (IOException e) {
        socket.close();
        throw new EngineUnavailableException(address() + ": unreachable (" + reason(e) + ")");
      }
    }
  }

  /**
   * Reads the engine's answer; a silence past the stall limit or a connection that breaks off is the
   * engine's fault ({@link EngineUnavailableException}).
   */
  final class Guarded extends java.io.FilterInputStream {
    private final EngineEndpoint endpoint;

    Guarded(InputStream in, EngineEndpoint endpoint) {
      super(in);
      this.endpoint = endpoint;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (SocketTimeoutException e) {
        throw new EngineUnavailableException(endpoint.address() + ": stalled (no answer within the time limit)");
      } catch (SSLException | java.net.SocketException e) {
        throw new EngineUnavailableException(endpoint.address() + ": the connection broke off (" + reason(e) + ")");
      }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      try {
        return super.read(buffer, offset, length);
      } catch (SocketTimeoutException e) {
        throw new EngineUnavailableException(endpoint.address() + ": stalled (no answer within the time limit)");
      } catch (SSLException | java.net.SocketException e) {
        throw new EngineUnavailableException(endpoint.address() + ": the connection broke off (" + reason(e) + ")");
      }
    }
  }

  /**
   * Reads an engine's URL: {@code unix:///PATH} or {@code tcp://HOST:PORT}; {@code tlsDirectory} (or
   * null) holds ca.pem, cert.pem and key.pem. Plain TCP off loopback needs {@code insecure}.
   */
  static EngineEndpoint parse(String url, Path tlsDirectory, boolean insecure, Duration stallLimit) {
    if (url.startsWith("unix://")) {
      if (tlsDirectory != null) {
        throw new IllegalArgumentException(url + ": tls is for tcp:// engines, not a unix socket");
      }
      return new Unix(Path.of(url.substring("unix://".length())));
    }
    if (!url.startsWith("tcp://")) {
      throw new IllegalArgumentException(url + ": an engine is unix:///PATH or tcp://HOST:PORT");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(url + ": not a valid tcp://HOST:PORT");
    }
    if (uri.getHost() == null || uri.getPort() < 0 || !(uri.getPath() == null || uri.getPath().isEmpty()
        || uri.getPath().equals("/"))) {
      throw new IllegalArgumentException(url + ": an engine is tcp://HOST:PORT (with the port)");
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    if (tlsDirectory == null && !insecure && !loopback(host)) {
      throw new IllegalArgumentException(url + ": plain TCP to an engine off loopback; give its TLS directory "
          + "(ca.pem, cert.pem, key.pem) or --insecure");
    }
    EngineTls tls = null;
    if (tlsDirectory != null) {
      try {
        tls = EngineTls.load(tlsDirectory);
      } catch (IOException e) {
        throw new IllegalArgumentException(url + ": " + e.getMessage());
      }
    }
    return new Tcp(host, uri.getPort(), tls, stallLimit);
  }

  /**
   * The engine Docker's client would use: {@code DOCKER_HOST} (unix:// or tcp://), with
   * {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} (default {@code ~/.docker}); else the default socket.
   */
  static EngineEndpoint fromEnvironment(Map<String, String> environment, boolean insecure) {
    String host = environment.get("DOCKER_HOST");
    if (host == null || host.isBlank()) {
      return new Unix(DEFAULT_SOCKET);
    }
    Path tls = null;
    String verify = environment.get("DOCKER_TLS_VERIFY");
    if (verify != null && !verify.isEmpty()) {
      String certPath = environment.get("DOCKER_CERT_PATH");
      tls = certPath != null && !certPath.isEmpty() ? Path.of(certPath)
          : Path.of(System.getProperty("user.home"), ".docker");
    }
    try {
      return parse(host, host.startsWith("unix://") ? null : tls, insecure, DEFAULT_STALL_LIMIT);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("DOCKER_HOST=" + e.getMessage());
    }
  }

  private static boolean loopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      return host.matches("[0-9.]+|[0-9a-fA-F:]+") && InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
