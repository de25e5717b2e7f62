package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.ResidentFixture.Ran;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script's client of the resident process ({@code ./berth} with {@code BERTH_DAEMON=on}),
 * which starts no JVM: a command it sends prints and exits as in a JVM of its own; a port that cannot
 * prove it is the process's hears only the first secret; and the client's request and its framing,
 * against a process of the test's own.
 */
@Tag("integration")
class DaemonLauncherIT {
  @TempDir Path work;
  private ResidentFixture fixture;
  private Path jar;

  @BeforeEach
  void fixture() {
    fixture = new ResidentFixture(work);
    jar = fixture.jar;
  }

  @AfterEach
  void stopTheResidentProcesses() {
    fixture.stopResidents();
  }

  @Test
  void theLauncherSendsACommandOverTheProcesssPortAndPrintsAsItsOwnJvm() throws Exception {
    Path tree = tree();
    Ran alone = launcher(false, "plan", tree.toString(), "--store", work.resolve("store").toString());
    assertThat(alone.status()).as(alone.err()).isZero();
    launcher(true, "plan", tree.toString(), "--store", work.resolve("store").toString());
    awaitResident();
    Path portFile = awaitPortFile();
    String[] door = Files.readString(portFile).strip().split(" ");
    try (Forwarder forwarder = new Forwarder(Integer.parseInt(door[0]))) {
      // the port file now names the test's forwarder: what the launcher sends passes through it
      Files.writeString(portFile, forwarder.port() + " " + door[1] + " " + door[2] + "\n");
      Ran served = launcher(true, "plan", tree.toString(), "--store", work.resolve("store").toString());
      assertThat(served).isEqualTo(alone);
      assertThat(forwarder.sent()).as("the launcher's request went through the port")
          .startsWith("berth " + door[1] + "\n").contains("plan\0" + tree + "\0");

      Files.writeString(tree.resolve("b/image.yaml"), "base: a\ncopy:\n  - {src: missing.txt, dest: /x}\n");
      Ran failedAlone = launcher(false, "plan", tree.toString(), "--store", work.resolve("store").toString());
      Ran failedServed = launcher(true, "plan", tree.toString(), "--store", work.resolve("store").toString());
      assertThat(failedAlone.status()).isEqualTo(1);
      assertThat(failedServed).isEqualTo(failedAlone);
      assertThat(forwarder.connections()).isEqualTo(2);
    }
  }

  @Test
  void aPortThatCannotProveItIsTheProcesssHearsOnlyTheFirstSecret() throws Exception {
    Path tree = tree();
    Ran alone = launcher(false, "plan", tree.toString(), "--store", work.resolve("store").toString());
    Path folder = Files.createDirectories(work.resolve("runtime").resolve("berth"));
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path portFile = folder.resolve(Path.of("").toAbsolutePath().toString().replace("%", "%25").replace("/", "%2F")
        .concat(".port"));
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Files.writeString(portFile, squatter.getLocalPort() + " first-secret second-secret\n");
      java.util.concurrent.CompletableFuture<String> heard = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try (java.net.Socket client = squatter.accept()) {
          client.setSoTimeout(30_000);
          String first = new String(client.getInputStream().readNBytes(19), StandardCharsets.UTF_8);
          client.getOutputStream().write("not-the-secret\n".getBytes(StandardCharsets.UTF_8));
          return first + new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          return "failed: " + e;
        }
      });
      assertThat(launcher(true, "plan", tree.toString(), "--store", work.resolve("store").toString()))
          .as("run in a JVM of its own").isEqualTo(alone);
      assertThat(heard.get(60, TimeUnit.SECONDS)).isEqualTo("berth first-secret\n");
    }
    // a port file left by a process killed with kill -9: nothing listens there
    Files.writeString(portFile, "1 first-secret second-secret\n");
    assertThat(launcher(true, "plan", tree.toString(), "--store", work.resolve("store").toString())).isEqualTo(alone);
  }

  @Test
  void theLaunchersClientSendsItsSettingAndKeepsInStepWhenItsReaderGoesAway() throws Exception {
    Path folder = Files.createDirectories(work.resolve("runtime").resolve("berth"));
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Path cwd = Path.of("").toAbsolutePath().toRealPath();
    Path portFile = folder.resolve(cwd.toString().replace("%", "%25").replace("/", "%2F").concat(".port"));
    try (java.net.ServerSocket process = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
      Files.writeString(portFile, process.getLocalPort() + " first second\n");
      // a process of the test's own: two stdout frames larger than a pipe holds, one stderr frame, status 7
      java.util.concurrent.CompletableFuture<List<String>> request = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try (java.net.Socket client = process.accept()) {
          client.setSoTimeout(30_000);
          java.io.InputStream in = client.getInputStream();
          java.io.OutputStream out = client.getOutputStream();
          assertThat(new String(in.readNBytes(12), StandardCharsets.UTF_8)).isEqualTo("berth first\n");
          out.write("second\n".getBytes(StandardCharsets.UTF_8));
          List<String> fields = new ArrayList<>();
          java.io.ByteArrayOutputStream field = new java.io.ByteArrayOutputStream();
          int envCount = -1;
          while (envCount < 0 || fields.size() < 5 + Integer.parseInt(fields.get(4)) + 1 + envCount) {
            int b = in.read();
            if (b == 0) {
              fields.add(field.toString(StandardCharsets.UTF_8));
              field.reset();
              int argsAt = 5 + (fields.size() > 4 ? Integer.parseInt(fields.get(4)) : 0);
              if (fields.size() == argsAt + 1) {
                envCount = Integer.parseInt(fields.get(argsAt));
              }
            } else {
              field.write(b);
            }
          }
          for (String frame : List.of("o", "o")) {
            byte[] bytes = ("x".repeat(99_999) + "\n").getBytes(StandardCharsets.UTF_8);
            out.write((frame + " " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
          }
          out.write("e 5\nwarn\nx 7\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          return fields;
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Path script = Berth.JAR.getParent().getParent().getParent().resolve("berth");
      ProcessBuilder builder = new ProcessBuilder("bash", "-c",
          "set -o pipefail; umask 027; \"$0\" status --store /s 'two words' | head -c 10 >/dev/null", script.toString())
          .redirectError(work.resolve("stderr.txt").toFile());
      builder.environment().remove("BERTH_DAEMON");
      builder.environment().putAll(environment(true));
      builder.environment().put("BERTH_JAR", jar.toString());
      builder.environment().put("BERTH_TEST_VALUE", "a\nb");
      Process client = builder.start();
      assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(client.exitValue()).as("the command's status, though the reader went away").isEqualTo(7);
      assertThat(Files.readString(work.resolve("stderr.txt"))).isEqualTo("warn\n");
      List<String> fields = request.get(30, TimeUnit.SECONDS);
      assertThat(fields.subList(0, 8)).containsExactly(cwd.toString(), jar.toString(),
          fields.get(2), "0027", "4", "status", "--store", "/s");
      assertThat(fields.get(8)).isEqualTo("two words");
      assertThat(Path.of(fields.get(2)).toRealPath())
          .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toRealPath());
      assertThat(fields.subList(10, fields.size())).contains("BERTH_TEST_VALUE=a\nb", "BERTH_DAEMON=on");
    }
  }

  /** Forwards connections to a port, keeping what clients sent. */
  private static final class Forwarder implements AutoCloseable {
    private final java.net.ServerSocket socket = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
    private final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();

    Forwarder(int target) throws IOException {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            java.net.Socket client = socket.accept();
            java.net.Socket server = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), target);
            connections.incrementAndGet();
            pump(client, server, true);
            pump(server, client, false);
          }
        } catch (IOException closed) {
          // closed with the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private void pump(java.net.Socket from, java.net.Socket to, boolean keep) {
      Thread thread = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (from; to) {
          for (int n = from.getInputStream().read(buffer); n >= 0; n = from.getInputStream().read(buffer)) {
            if (keep) {
              synchronized (sent) {
                sent.write(buffer, 0, n);
              }
            }
            to.getOutputStream().write(buffer, 0, n);
          }
        } catch (IOException closed) {
          // either side went away
        }
      });
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    String sent() {
      synchronized (sent) {
        return sent.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** The resident process's port file for the launcher, once written. */
  private Path awaitPortFile() throws Exception {
    Path folder = work.resolve("runtime").resolve("berth");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (var files = Files.list(folder)) {
        Optional<Path> found = files.filter(file -> file.toString().endsWith(".port")).findFirst();
        if (found.isPresent()) {
          return found.get();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no port file in " + folder);
  }


  private Ran launcher(boolean daemon, String... args) throws Exception {
    return fixture.launcher(daemon, args);
  }

  private Path tree() throws IOException {
    return fixture.tree();
  }

  private ProcessHandle awaitResident() throws Exception {
    return fixture.awaitResident();
  }

  private java.util.Map<String, String> environment(boolean daemon) {
    return fixture.environment(daemon);
  }
}
