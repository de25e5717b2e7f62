package dev.berth.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real registry (Debian's {@code docker-registry}, distribution 2.8) on a free loopback port with
 * its own temporary storage: plain HTTP, htpasswd basic auth over TLS with a CA made by openssl
 * for the test, or token auth against a {@link TokenIssuer}. Stopped with SIGTERM on close.
 */
public final class LocalRegistry implements AutoCloseable {
  private final Process process;
  private final Path directory;
  private final int port;
  private final Path caDirectory;

  private LocalRegistry(Process process, Path directory, int port, Path caDirectory) {
    this.process = process;
    this.directory = directory;
    this.port = port;
    this.caDirectory = caDirectory;
  }

  /** Plain HTTP, no authentication. */
  public static LocalRegistry startPlain() throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("berth-registry");
    int port = freePort();
    return start(directory, port, baseConfig(directory, port), null);
  }

  /** TLS with a certificate signed by a fresh test CA, and htpasswd basic auth for one user. */
  public static LocalRegistry startBasicAuthTls(String user, String password) throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("berth-registry");
    int port = freePort();
    Path caDirectory = TestCertificates.serverCertificate(directory.resolve("tls"), "127.0.0.1");
    String htpasswd = ExternalTools.runOrFail("htpasswd", "-Bbn", user, password).stdout();
    Path passwords = directory.resolve("htpasswd");
    Files.writeString(passwords, htpasswd);
    String config = baseConfig(directory, port)
        + tls(directory.resolve("tls"))
        + "auth:\n"
        + "  htpasswd:\n"
        + "    realm: berth-test\n"
        + "    path: " + passwords + "\n";
    return start(directory, port, config, caDirectory);
  }

  /**
   * TLS that asks every client for a certificate signed by the test CA (distribution's
   * {@code http.tls.clientcas}); {@code clientDirectory} receives {@code ca.crt}, {@code client.cert}
   * and {@code client.key}, docker's certs.d shape.
   */
  public static LocalRegistry startMutualTls(Path clientDirectory) throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("berth-registry");
    int port = freePort();
    Path tls = directory.resolve("tls");
    Path caDirectory = TestCertificates.serverCertificate(tls, "127.0.0.1");
    TestCertificates.clientCertificate(tls, clientDirectory);
    String config = baseConfig(directory, port)
        + tls(tls)
        + "    clientcas:\n"
        + "      - " + tls.resolve("ca.crt") + "\n";
    return start(directory, port, config, caDirectory);
  }

  /** Plain HTTP on loopback with token auth: tokens come from {@code issuer}. */
  public static LocalRegistry startTokenAuth(TokenIssuer issuer) throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("berth-registry");
    int port = freePort();
    String config = baseConfig(directory, port)
        + "auth:\n"
        + "  token:\n"
        + "    realm: " + issuer.realm() + "\n"
        + "    service: " + TokenIssuer.SERVICE + "\n"
        + "    issuer: " + TokenIssuer.ISSUER + "\n"
        + "    rootcertbundle: " + issuer.certificate() + "\n";
    return start(directory, port, config, null);
  }

  /** The http section's TLS lines for the server certificate {@link TestCertificates} made in {@code tls}. */
  private static String tls(Path tls) {
    return "  tls:\n"
        + "    certificate: " + tls.resolve("server.crt") + "\n"
        + "    key: " + tls.resolve("server.key") + "\n";
  }

  private static String baseConfig(Path directory, int port) {
    return "version: 0.1\n"
        + "log:\n"
        + "  level: error\n"
        + "  accesslog:\n"
        + "    disabled: true\n"
        + "storage:\n"
        + "  filesystem:\n"
        + "    rootdirectory: " + directory.resolve("storage") + "\n"
        + "  delete:\n"
        + "    enabled: true\n"
        + "http:\n"
        + "  addr: 127.0.0.1:" + port + "\n"
        + "  secret: berth-test-secret\n"
        + "  draintimeout: 1s\n";
  }

  private static LocalRegistry start(Path directory, int port, String config, Path caDirectory)
      throws IOException, InterruptedException {
    Path configFile = directory.resolve("config.yml");
    Files.writeString(configFile, config);
    Process process = new ProcessBuilder(ExternalTools.require("docker-registry").toString(), "serve",
        configFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("registry.log").toFile())
        .start();
    LocalRegistry registry = new LocalRegistry(process, directory, port, caDirectory);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        String log = Files.readString(directory.resolve("registry.log"));
        registry.close();
        throw new IllegalStateException("docker-registry exited at start: " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return registry;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    registry.close();
    throw new IllegalStateException("docker-registry did not listen on port " + port + " within 15 s");
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** {@code 127.0.0.1:PORT}, the registry part of references to this registry. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** A directory holding {@code ca.crt} for a TLS registry (for --cert-dir), else null. */
  public Path caDirectory() {
    return caDirectory;
  }

  /** The registry's own copy of a blob, for tests that corrupt what it serves. */
  public Path blobData(dev.berth.oci.Digest digest) {
    return directory.resolve("storage/docker/registry/v2/blobs").resolve(digest.algorithm())
        .resolve(digest.hex().substring(0, 2)).resolve(digest.hex()).resolve("data");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    deleteRecursively(directory);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
