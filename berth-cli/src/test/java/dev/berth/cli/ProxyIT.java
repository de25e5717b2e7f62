package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LocalRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registry traffic through an HTTP CONNECT proxy named by HTTPS_PROXY (Debian's tinyproxy on
 * loopback, its log showing each tunnel), not through it for a registry NO_PROXY names, and one line
 * when the proxy refuses.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("tinyproxy")
class ProxyIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path work;

  /** tinyproxy in the foreground on a free loopback port, tunnelling only to {@code allowedPort}. */
  private record Tinyproxy(Process process, int port, Path log) implements AutoCloseable {
    static Tinyproxy start(Path directory, int allowedPort) throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path log = directory.resolve("tinyproxy.log");
      Path config = directory.resolve("tinyproxy.conf");
      Files.writeString(config, "Port " + port + "\nListen 127.0.0.1\nTimeout 60\nAllow 127.0.0.1\n"
          + "ConnectPort " + allowedPort + "\nLogFile \"" + log + "\"\nLogLevel Connect\nMaxClients 20\n");
      Process process = new ProcessBuilder("tinyproxy", "-d", "-c", config.toString())
          .redirectErrorStream(true).redirectOutput(directory.resolve("tinyproxy.out").toFile()).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return new Tinyproxy(process, port, log);
        } catch (java.io.IOException notYet) {
          Thread.sleep(50);
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException("tinyproxy did not listen: " + Files.readString(directory.resolve("tinyproxy.out")));
    }

    long tunnelsTo(String hostAndPort) throws Exception {
      return Files.exists(log) ? Files.readAllLines(log).stream()
          .filter(line -> line.contains("CONNECT") && line.contains(hostAndPort)).count() : 0;
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void aTlsRegistryIsReachedThroughHttpsProxyAndDirectlyWhenNoProxyNamesIt() throws Exception {
    Path store = work.resolve("store");
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    new Berth(store).run("import", rootfs, "--as", "base:1").succeeded();
    try (LocalRegistry registry = LocalRegistry.startBasicAuthTls("proxied", "secret");
        Tinyproxy proxy = Tinyproxy.start(work, registry.port())) {
      String[] common = {"--creds", "proxied:secret", "--cert-dir", registry.caDirectory().toString()};
      Berth through = new Berth(store, Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port(), "NO_PROXY", "example.org"));
      through.run(concat(new String[] {"push", "base:1", "docker://" + registry.host() + "/proxied:1"}, common)).succeeded();
      long tunnels = proxy.tunnelsTo(registry.host());
      assertThat(tunnels).as("CONNECT tunnels through tinyproxy").isGreaterThanOrEqualTo(1);
      String digest = Berth.tool(work, "skopeo", "inspect", "--format", "{{.Digest}}", "--creds", "proxied:secret",
          "--cert-dir", registry.caDirectory().toString(), "docker://" + registry.host() + "/proxied:1").strip();
      assertThat(digest).startsWith("sha256:");

      Berth direct = new Berth(store, Map.of("https_proxy", "http://127.0.0.1:" + proxy.port(),
          "no_proxy", "localhost,127.0.0.1:" + registry.port()));
      direct.run(concat(new String[] {"push", "base:1", "docker://" + registry.host() + "/direct:1"}, common)).succeeded();
      assertThat(proxy.tunnelsTo(registry.host())).as("no tunnel for a registry NO_PROXY names").isEqualTo(tunnels);
      Berth.tool(work, "skopeo", "inspect", "--creds", "proxied:secret", "--cert-dir", registry.caDirectory().toString(),
          "docker://" + registry.host() + "/direct:1");
    }
  }

  @Test
  void aProxyThatRefusesIsOneLine() throws Exception {
    Path store = work.resolve("store");
    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    new Berth(store).run("import", rootfs, "--as", "base:1").succeeded();
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    try (LocalRegistry registry = LocalRegistry.startBasicAuthTls("proxied", "secret");
        Tinyproxy proxy = Tinyproxy.start(work, registry.port() + 1)) {
      String[] push = {"push", "base:1", "docker://" + registry.host() + "/refused:1", "--creds", "proxied:secret",
          "--cert-dir", registry.caDirectory().toString()};
      new Berth(store, Map.of("HTTPS_PROXY", "http://127.0.0.1:" + closed)).run(push)
          .failedWithOneLine("cannot connect to the proxy for registry " + registry.host() + " through proxy 127.0.0.1:" + closed);
      new Berth(store, Map.of("HTTPS_PROXY", "http://127.0.0.1:" + proxy.port())).run(push)
          .failedWithOneLine("registry " + registry.host() + " through proxy 127.0.0.1:" + proxy.port() + " failed");
      new Berth(store, Map.of("HTTPS_PROXY", "socks5://127.0.0.1:" + proxy.port())).run(push)
          .failedWithOneLine("HTTPS_PROXY: socks5 proxies are not supported");
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
