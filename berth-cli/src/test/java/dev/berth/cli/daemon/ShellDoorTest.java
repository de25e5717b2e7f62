package dev.berth.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident process's door for the launcher's bash client, in this JVM with a command of the
 * test's own, spoken to as the launcher speaks: the two secrets of the port file, the request, and the
 * output as text frames (one per run of a stream's writes). The launcher itself: {@code DaemonIT}.
 */
@Tag("unit")
class ShellDoorTest {
  @TempDir Path dir;

  /** A launcher client's view: the frames' kinds in order, what each stream got, and the status line. */
  private record Reply(List<Character> kinds, String out, String err, String last) {}

  private Map<String, String> environment() {
    return Map.of("XDG_RUNTIME_DIR", dir.resolve("runtime").toString(), "BERTH_STORE", "/s", "HOME", "/home/x");
  }

  private Path jar() throws IOException {
    Path jar = dir.resolve("berth.jar");
    if (!Files.exists(jar)) {
      Files.writeString(jar, "jar");
    }
    return jar;
  }

  private Path portFile() {
    return dir.resolve("runtime").resolve("berth").resolve(ShellDoor.portFileName(Path.of("").toAbsolutePath()));
  }

  private Thread serve(DaemonServer.Command command, Duration idle) throws Exception {
    DaemonAddress address = DaemonAddress.of(jar(), Path.of("").toAbsolutePath(), environment(), "0022")
        .orElseThrow();
    Thread server = new Thread(() -> {
      try {
        DaemonServer.serve(address, jar(), command, idle);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    server.setDaemon(true);
    server.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(portFile()) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return server;
  }

  /** The port file's three words: port, the client's secret, the process's. */
  private String[] door() throws IOException {
    return Files.readString(portFile()).strip().split(" ");
  }

  /** Asks as the launcher does, with {@code environment} and the first secret {@code secret}. */
  private Reply ask(Map<String, String> environment, String secret, String... args) throws IOException {
    return askWithUmask(environment, "0022", secret, args);
  }

  /** Asks as the launcher does, with {@code environment}, {@code umask} and the first secret {@code secret}. */
  private Reply askWithUmask(Map<String, String> environment, String umask, String secret, String... args)
      throws IOException {
    String[] door = door();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(door[0]))) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(("berth " + secret + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String proof = line(in);
      if (!door[2].equals(proof)) {
        return new Reply(List.of(), "", "", proof);
      }
      List<String> fields = new ArrayList<>(List.of(Path.of("").toAbsolutePath().toString(), jar().toString(),
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), umask, Integer.toString(args.length)));
      fields.addAll(List.of(args));
      fields.add(Integer.toString(environment.size()));
      environment.forEach((name, value) -> fields.add(name + "=" + value));
      for (String field : fields) {
        out.write(field.getBytes(StandardCharsets.UTF_8));
        out.write(0);
      }
      out.flush();
      List<Character> kinds = new ArrayList<>();
      StringBuilder stdout = new StringBuilder();
      StringBuilder stderr = new StringBuilder();
      while (true) {
        String header = line(in);
        if (header == null || !header.matches("[oe] \\d+")) {
          return new Reply(kinds, stdout.toString(), stderr.toString(), header);
        }
        kinds.add(header.charAt(0));
        String bytes = new String(in.readNBytes(Integer.parseInt(header.substring(2))), StandardCharsets.UTF_8);
        (header.charAt(0) == 'o' ? stdout : stderr).append(bytes);
      }
    }
  }

  /** One line without its newline; null at the end of the stream. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.UTF_8);
      }
      bytes.write(b);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aClientWithTheSecretGetsEachRunOfAStreamAsOneFrameThenTheStatus() throws Exception {
    serve(args -> {
      for (int i = 0; i < 500; i++) {
        System.out.println("line " + i + " of " + String.join(" ", args));
      }
      System.err.println("warning: one");
      System.out.println("done");
      return 3;
    }, Duration.ofSeconds(60));
    assertThat(Files.getPosixFilePermissions(portFile()))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Reply reply = ask(environment(), door()[1], "plan", "b c");
    assertThat(reply.last()).isEqualTo("x 3");
    assertThat(reply.out()).startsWith("line 0 of plan b c\nline 1 of plan b c\n").endsWith("line 499 of plan b c\ndone\n");
    assertThat(reply.err()).isEqualTo("warning: one\n");
    assertThat(reply.kinds()).as("500 lines in a row are one frame, not 500").containsExactly('o', 'e', 'o');
  }

  @Test
  void aClientWithoutTheSecretIsToldNothingAndNothingRuns() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    serve(args -> {
      ran.add(String.join(" ", args));
      return 0;
    }, Duration.ofSeconds(60));
    Reply reply = ask(environment(), "0".repeat(48), "plan");
    assertThat(reply.last()).as("closed on without the process's secret").isNull();
    assertThat(ran).isEmpty();
    assertThat(ask(environment(), door()[1], "plan").last()).isEqualTo("x 0");
    assertThat(ran).containsExactly("plan");
  }

  @Test
  void aClientOfAnotherSettingIsRefusedAndRunsTheCommandItself() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    serve(args -> {
      ran.add(String.join(" ", args));
      return 0;
    }, Duration.ofSeconds(60));
    Map<String, String> other = new java.util.HashMap<>(environment());
    other.put("BERTH_STORE", "/another");
    assertThat(ask(other, door()[1], "plan").last()).isEqualTo("stranger");
    assertThat(askWithUmask(environment(), "0077", door()[1], "plan").last()).as("another umask").isEqualTo("stranger");
    assertThat(ask(environment(), door()[1], "build", "tree").last()).as("a command that is never resident")
        .isEqualTo("stranger");
    other = new java.util.HashMap<>(environment());
    other.put("UNREAD_BY_BERTH", "x");
    assertThat(ask(other, door()[1], "plan").last()).as("a variable berth never reads").isEqualTo("x 0");
    assertThat(ran).containsExactly("plan");
  }

  @Test
  void theLauncherSendsTheCommandsTheJarsClientSends() throws IOException {
    String launcher = Files.readString(Path.of("..", "berth"));
    java.util.regex.Matcher commands = java.util.regex.Pattern.compile("case \"\\$command\" in ([a-z|]+)\\)")
        .matcher(launcher);
    assertThat(commands.find()).as("the launcher's list of resident commands").isTrue();
    assertThat(List.of(commands.group(1).split("\\|"))).containsExactlyInAnyOrderElementsOf(DaemonClient.COMMANDS);
  }

  @Test
  void anIdleProcessRemovesItsPortFileButNotANewerProcesss() throws Exception {
    Thread server = serve(args -> 0, Duration.ofSeconds(1));
    assertThat(ask(environment(), door()[1], "status").last()).isEqualTo("x 0");
    server.join(15_000);
    assertThat(server.isAlive()).isFalse();
    assertThat(portFile()).doesNotExist();

    Thread second = serve(args -> 0, Duration.ofSeconds(1));
    Files.writeString(portFile(), "1 newer process\n");
    second.join(15_000);
    assertThat(portFile()).hasContent("1 newer process\n");
  }
}
