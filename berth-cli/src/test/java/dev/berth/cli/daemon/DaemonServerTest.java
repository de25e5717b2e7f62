package dev.berth.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident process's side of the socket, in this JVM with a command of the test's own: the
 * protocol a client sees (output frames in the order written, then the status; a refusal for another
 * setting or while busy) and the end of an idle process. The real jar and its clients: {@code DaemonIT}.
 */
@Tag("unit")
class DaemonServerTest {
  @TempDir Path dir;

  /** What a client received: each frame's kind and bytes, and the exit status (or the refusal). */
  private record Reply(List<Byte> kinds, String out, String err, int status) {}

  private DaemonAddress address() {
    return new DaemonAddress(dir.resolve("runtime").resolve("test.sock"), "the setting\n");
  }

  private Thread serve(DaemonServer.Command command, Duration idle) throws Exception {
    Path jar = dir.resolve("berth.jar");
    if (!Files.exists(jar)) {
      Files.writeString(jar, "jar");
    }
    Thread server = new Thread(() -> {
      try {
        DaemonServer.serve(address(), jar, command, idle);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    server.setDaemon(true);
    server.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return server;
  }

  /** Whether the server accepts connections yet (binding creates the file before it listens). */
  private boolean listening() {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(address().socket()));
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private Reply ask(String identity, String... args) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(address().socket()));
      Frames.writeRequest(new DataOutputStream(SocketStreams.output(channel)), identity, args);
      DataInputStream in = new DataInputStream(SocketStreams.input(channel));
      List<Byte> kinds = new ArrayList<>();
      StringBuilder out = new StringBuilder();
      StringBuilder err = new StringBuilder();
      while (true) {
        byte kind = in.readByte();
        kinds.add(kind);
        if (kind == Frames.EXIT) {
          return new Reply(kinds, out.toString(), err.toString(), in.readInt());
        }
        if (kind == Frames.BUSY || kind == Frames.STRANGER) {
          return new Reply(kinds, out.toString(), err.toString(), -1);
        }
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        (kind == Frames.OUT ? out : err).append(new String(bytes, StandardCharsets.UTF_8));
      }
    }
  }

  @Test
  void aCommandsOutputComesInTheOrderWrittenThenItsStatus() throws Exception {
    serve(args -> {
      System.out.print("ran " + String.join(" ", args) + "\n");
      System.out.flush();
      System.err.print("warning: one\n");
      System.err.flush();
      System.out.print("done\n");
      return 3;
    }, Duration.ofSeconds(60));
    Reply reply = ask("the setting\n", "plan", "b c");
    assertThat(reply.status()).isEqualTo(3);
    assertThat(reply.out()).isEqualTo("ran plan b c\ndone\n");
    assertThat(reply.err()).isEqualTo("warning: one\n");
    assertThat(reply.kinds()).containsExactly(Frames.OUT, Frames.ERR, Frames.OUT, Frames.EXIT);
    assertThat(ask("the setting\n", "status").out()).as("the next command").isEqualTo("ran status\ndone\n");
  }

  @Test
  void aClientOfAnotherSettingIsRefusedAndNothingRuns() throws Exception {
    List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
    serve(args -> {
      ran.add(String.join(" ", args));
      return 0;
    }, Duration.ofSeconds(60));
    assertThat(ask("another setting\n", "plan").kinds()).containsExactly(Frames.STRANGER);
    assertThat(ask("the setting\n", "build", "tree").kinds()).as("a command that is never resident")
        .containsExactly(Frames.STRANGER);
    assertThat(ran).isEmpty();
  }

  @Test
  void aSecondClientIsToldTheProcessIsBusy() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    serve(args -> {
      started.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }, Duration.ofSeconds(60));
    Thread first = new Thread(() -> {
      try {
        ask("the setting\n", "pull", "slow");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    first.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(ask("the setting\n", "plan", "second").kinds()).containsExactly(Frames.BUSY);
    release.countDown();
    first.join(10_000);
  }

  @Test
  void anIdleProcessEndsAndRemovesItsSocket() throws Exception {
    Thread server = serve(args -> 0, Duration.ofSeconds(1));
    assertThat(ask("the setting\n", "status").status()).isZero();
    server.join(15_000);
    assertThat(server.isAlive()).isFalse();
    assertThat(address().socket()).doesNotExist();
    assertThat(Files.getPosixFilePermissions(address().socket().getParent()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
  }
}
