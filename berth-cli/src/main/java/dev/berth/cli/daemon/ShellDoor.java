package dev.berth.cli.daemon;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The resident process's door for the launcher script's client ({@code ./berth} with
 * {@code BERTH_DAEMON=on}), which is bash: bash reaches loopback TCP but no Unix socket, and a JVM
 * started only to reach the socket costs more than most commands the process runs.
 *
 * <p>Anyone on the machine may connect to a loopback port, so the port alone proves nothing either
 * way. The port file, {@code FOLDER/CWD.port} in the process's 0700 folder (CWD being the working
 * directory with {@code %} and {@code /} escaped as {@code %25} and {@code %2F}), holds the port and
 * two random secrets. The client sends the first; only then does the process send the second, and the
 * client sends its command only once the second matched. A process of another user that took the port
 * after this one died learns a dead process's secret and nothing of the command; one that connects
 * here without the first secret is closed on.
 *
 * <p>After the secrets: the client's working directory, berth's jar, the {@code java} it would run,
 * its umask, its arguments and environment, each ended by a NUL byte (a count before the arguments and the
 * environment). The process runs the command only when those give its own setting
 * ({@link DaemonAddress}) and its own JVM; otherwise, or while busy, it answers {@code stranger} or
 * {@code busy} and the client runs the command in a JVM of its own.
 */
final class ShellDoor implements AutoCloseable {
  /** What a launcher client asks for: the setting it would run the command in, and the command. */
  record Request(Path workingDirectory, Path jar, Path java, String umask, List<String> args,
      Map<String, String> environment) {}

  private static final int MAX_FIELDS = 100_000;
  private static final int MAX_BYTES = 16 << 20;
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final ServerSocketChannel server;
  private final Path portFile;
  private final String content;
  private final byte[] clientSecret;
  private final byte[] serverSecret;

  private ShellDoor(ServerSocketChannel server, Path portFile, String content, byte[] clientSecret,
      byte[] serverSecret) {
    this.server = server;
    this.portFile = portFile;
    this.content = content;
    this.clientSecret = clientSecret;
    this.serverSecret = serverSecret;
  }

  /**
   * Listens on a loopback port and writes its port file into {@code folder} (which must be this
   * user's alone) for clients in {@code workingDirectory}; empty when the name would be too long.
   */
  static Optional<ShellDoor> open(Path folder, Path workingDirectory) throws IOException {
    String name = portFileName(workingDirectory);
    if (name.length() > 200) {
      return Optional.empty();
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
    try {
      server.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 50);
      SecureRandom random = new SecureRandom();
      String clientSecret = secret(random);
      String serverSecret = secret(random);
      int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
      String content = port + " " + clientSecret + " " + serverSecret + "\n";
      Path portFile = folder.resolve(name);
      Path written = Files.createTempFile(folder, ".port", ".tmp", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(written, content);
      Files.move(written, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(new ShellDoor(server, portFile, content, clientSecret.getBytes(StandardCharsets.US_ASCII),
          serverSecret.getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The port file's name for clients in {@code workingDirectory}, as the launcher spells it. */
  static String portFileName(Path workingDirectory) {
    return workingDirectory.toString().replace("%", "%25").replace("/", "%2F").concat(".port");
  }

  ServerSocketChannel channel() {
    return server;
  }

  /**
   * The request of a client that knew the first secret, after sending it the second; empty, the
   * connection to be closed, for anyone else. The stream is left at the end of the request.
   */
  Optional<Request> handshake(SocketChannel client, InputStream in, OutputStream out) throws IOException {
    client.socket().setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
    byte[] line = readUntil(in, (byte) '\n', 200);
    byte[] expected = ("berth ".concat(new String(clientSecret, StandardCharsets.US_ASCII)))
        .getBytes(StandardCharsets.US_ASCII);
    if (line == null || !MessageDigest.isEqual(line, expected)) {
      return Optional.empty();
    }
    out.write(serverSecret);
    out.write('\n');
    out.flush();
    Path workingDirectory = Path.of(field(in));
    Path jar = Path.of(field(in));
    Path java = Path.of(field(in));
    String umask = field(in);
    List<String> args = new ArrayList<>();
    for (int i = count(in); i > 0; i--) {
      args.add(field(in));
    }
    Map<String, String> environment = new LinkedHashMap<>();
    for (int i = count(in); i > 0; i--) {
      String variable = field(in);
      int equals = variable.indexOf('=');
      if (equals > 0) {
        environment.put(variable.substring(0, equals), variable.substring(equals + 1));
      }
    }
    client.socket().setSoTimeout(0);
    return Optional.of(new Request(workingDirectory, jar, java, umask, args, environment));
  }

  /** A stream that reads the client's bytes with the handshake's time limit (the socket's adaptor honours it). */
  static InputStream input(SocketChannel client) throws IOException {
    return new BufferedInputStream(client.socket().getInputStream(), 1 << 14);
  }

  private static int count(InputStream in) throws IOException {
    try {
      int count = Integer.parseInt(field(in));
      if (count < 0 || count > MAX_FIELDS) {
        throw new IOException("not a berth request");
      }
      return count;
    } catch (NumberFormatException e) {
      throw new IOException("not a berth request");
    }
  }

  private static String field(InputStream in) throws IOException {
    byte[] bytes = readUntil(in, (byte) 0, MAX_BYTES);
    if (bytes == null) {
      throw new IOException("not a berth request");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The bytes before {@code end}, which is consumed; null at the end of the stream or past {@code limit}. */
  private static byte[] readUntil(InputStream in, byte end, int limit) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (bytes.size() <= limit) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == (end & 0xff)) {
        return bytes.toByteArray();
      }
      bytes.write(b);
    }
    return null;
  }

  private static String secret(SecureRandom random) {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** Stops listening and removes the port file, unless a newer process of this directory wrote its own. */
  @Override
  public void close() throws IOException {
    server.close();
    try {
      if (content.equals(Files.readString(portFile, StandardCharsets.US_ASCII))) {
        Files.deleteIfExists(portFile);
      }
    } catch (IOException | RuntimeException gone) {
      // removed or replaced meanwhile
    }
  }
}
