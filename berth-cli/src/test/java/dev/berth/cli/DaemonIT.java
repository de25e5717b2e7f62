package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident process ({@code BERTH_DAEMON=on}) with the real jar: a command it runs prints, and
 * exits with, exactly what the same command prints in a JVM of its own; the client then loads none of
 * picocli or berth's model; and a process killed with {@code kill -9} only makes the next command run
 * in its own JVM again.
 */
@Tag("integration")
class DaemonIT {
  @TempDir Path work;
  private Path jar = Berth.JAR;

  /** A run's exit status, standard output and error. */
  private record Ran(int status, String out, String err) {}

  @AfterEach
  void stopTheResidentProcesses() {
    for (ProcessHandle process : residents()) {
      process.destroyForcibly();
    }
  }

  @Test
  void aCommandTheProcessRunsPrintsAndExitsAsInItsOwnJvm() throws Exception {
    Path tree = tree();
    Ran alone = plan(false, null, tree);
    assertThat(alone.status()).as(alone.err()).isZero();
    assertThat(alone.out()).contains("2 to build");

    Ran starting = plan(true, null, tree);
    assertThat(starting).as("the first run, which starts the process, runs here").isEqualTo(alone);
    ProcessHandle resident = awaitResident();

    Path log = work.resolve("client-classes.log");
    Ran served = plan(true, log, tree);
    assertThat(served).isEqualTo(alone);
    List<String> classes = classesIn(log);
    assertThat(classes).as("the client ran no command itself")
        .noneMatch(name -> name.startsWith("picocli.") || name.startsWith("dev.berth.plan.")
            || name.startsWith("com.fasterxml."))
        .contains("dev.berth.cli.daemon.DaemonClient");
    assertThat(resident.isAlive()).isTrue();

    // a command that fails: the same one line on stderr, the same exit status
    Files.writeString(tree.resolve("b/image.yaml"), "base: a\ncopy:\n  - {src: missing.txt, dest: /x}\n");
    Ran failedAlone = plan(false, null, tree);
    Ran failedServed = plan(true, log, tree);
    assertThat(failedAlone.status()).isEqualTo(1);
    assertThat(failedServed).isEqualTo(failedAlone);
    assertThat(classesIn(log)).noneMatch(name -> name.startsWith("picocli."));
  }

  @Test
  void aKilledProcessOnlyMakesTheNextCommandRunInItsOwnJvm() throws Exception {
    Path tree = tree();
    Ran alone = plan(false, null, tree);
    plan(true, null, tree);
    ProcessHandle first = awaitResident();
    first.destroyForcibly();
    assertThat(first.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();

    Ran afterKill = plan(true, null, tree);
    assertThat(afterKill).isEqualTo(alone);
    ProcessHandle second = awaitResident();
    assertThat(second.pid()).isNotEqualTo(first.pid());
    assertThat(plan(true, null, tree)).isEqualTo(alone);
  }

  @Test
  void aRebuiltJarEndsTheProcessOfTheOldOne() throws Exception {
    Path tree = tree();
    jar = work.resolve("berth.jar");
    Files.copy(Berth.JAR, jar);
    Ran alone = plan(false, null, tree);
    plan(true, null, tree);
    ProcessHandle resident = awaitResident();
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(java.time.Instant.now().plusSeconds(60)));
    assertThat(resident.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("gone once its jar changed").isFalse();
    assertThat(plan(true, null, tree)).isEqualTo(alone);
  }

  @Test
  void aClientThatHangsUpStopsItsCommandAndFreesTheProcess() throws Exception {
    Path tree = tree();
    Ran alone = planAloneThenStartResident(tree);
    try (SilentRegistry silent = new SilentRegistry()) {
      Process client = hangingPull(silent);
      client.destroyForcibly();  // as kill -9 or a terminal's Ctrl-C ends a client
      client.waitFor();

      // well before the pull's 30 s timeout, the process runs the next command itself (it is not busy)
      Path log = work.resolve("after-hang-up.log");
      long started = System.nanoTime();
      Ran next = plan(true, log, tree);
      assertThat(next).isEqualTo(alone);
      assertThat(classesIn(log)).as("served by the resident process").noneMatch(name -> name.startsWith("picocli."));
      assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(20));
    }
  }

  @Test
  void aBusyProcessLeavesTheCommandToItsClient() throws Exception {
    Path tree = tree();
    Ran alone = planAloneThenStartResident(tree);
    try (SilentRegistry silent = new SilentRegistry()) {
      Process busy = hangingPull(silent);
      try {
        Path log = work.resolve("while-busy.log");
        assertThat(plan(true, log, tree))
            .isEqualTo(alone);
        assertThat(classesIn(log)).as("run by the client itself").anyMatch(name -> name.startsWith("picocli."));
      } finally {
        busy.destroyForcibly();
        busy.waitFor();
      }
    }
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

  /** {@code ./berth ARGS} (the launcher script, with this test's jar), output to pipes as in a script. */
  private Ran launcher(boolean daemon, String... args) throws Exception {
    Path script = Berth.JAR.getParent().getParent().getParent().resolve("berth");
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(args));
    Path err = work.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().remove("BERTH_DAEMON");
    builder.environment().putAll(environment(daemon));
    builder.environment().put("BERTH_JAR", jar.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Ran(process.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
  }

  /** A registry that accepts connections and never answers: a pull from it waits 30 s for a response. */
  private static final class SilentRegistry implements AutoCloseable {
    private final java.net.ServerSocket socket;
    private final List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    SilentRegistry() throws IOException {
      socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(socket.accept());
          }
        } catch (IOException closed) {
          // closed with the test
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (java.net.Socket connection : held) {
        connection.close();
      }
    }
  }

  /** A client whose pull from {@code silent} is running in the resident process after 3 s. */
  private Process hangingPull(SilentRegistry silent) throws Exception {
    ProcessBuilder pull = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "pull", "127.0.0.1:" + silent.port() + "/never/answers:1", "--store",
        work.resolve("store").toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pull.environment().remove("BERTH_DAEMON");
    pull.environment().putAll(environment(true));
    Process client = pull.start();
    Thread.sleep(3000);
    assertThat(client.isAlive()).as("the pull waits for the silent registry").isTrue();
    return client;
  }

  /** {@code berth plan TREE} with or without the resident process, its classes logged to {@code classLog}. */
  private Ran plan(boolean daemon, Path classLog, Path tree) throws Exception {
    return berth(daemon, classLog, "plan", tree.toString(), "--store", work.resolve("store").toString());
  }

  /** The plan of {@code tree} as its own JVM prints it, once a resident process is up and answering. */
  private Ran planAloneThenStartResident(Path tree) throws Exception {
    Ran alone = plan(false, null, tree);
    plan(true, null, tree);
    awaitResident();
    return alone;
  }

  /** Two images from scratch, each copying a file: planning them needs no engine, runc or registry. */
  private Path tree() throws IOException {
    Path tree = work.resolve("tree");
    for (String name : List.of("a", "b")) {
      Files.createDirectories(tree.resolve(name));
      Files.writeString(tree.resolve(name).resolve("f.txt"), name + "\n");
      Files.writeString(tree.resolve(name).resolve("image.yaml"),
          "base: " + (name.equals("a") ? "scratch" : "a") + "\ncopy:\n  - {src: f.txt, dest: /" + name + "}\n");
    }
    return tree;
  }

  private Map<String, String> environment(boolean daemon) {
    Map<String, String> environment = new HashMap<>();
    environment.put("XDG_RUNTIME_DIR", work.resolve("runtime").toString());
    environment.put("XDG_CACHE_HOME", work.resolve("cache").toString());
    environment.put("BERTH_REPLAY", "off");
    environment.put("BERTH_DAEMON_IDLE", "120");
    if (daemon) {
      environment.put("BERTH_DAEMON", "on");
    }
    return environment;
  }

  private Ran berth(boolean daemon, Path classLog, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (classLog != null) {
      command.add("-Xlog:class+load=info:file=" + classLog);
    }
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(List.of(args));
    Path err = work.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().remove("BERTH_DAEMON");
    builder.environment().putAll(environment(daemon));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    return new Ran(process.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
  }

  /** The resident process of this test, once its socket answers (it starts in the background). */
  private ProcessHandle awaitResident() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> running = residents();
      Optional<Path> socket = socket();
      if (running.size() == 1 && socket.isPresent() && answers(socket.get())) {
        return running.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no resident process answered under " + work.resolve("runtime"));
  }

  private Optional<Path> socket() throws IOException {
    Path folder = work.resolve("runtime").resolve("berth");
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (var files = Files.list(folder)) {
      return files.filter(file -> file.toString().endsWith(".sock")).findFirst();
    }
  }

  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** This test's resident processes: those whose environment names its runtime folder. */
  private List<ProcessHandle> residents() {
    String marker = "XDG_RUNTIME_DIR=" + work.resolve("runtime");
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(process -> process.info().commandLine().orElse("").contains("dev.berth.cli.Resident"))
        .forEach(process -> {
          try {
            String environ = Files.readString(Path.of("/proc", Long.toString(process.pid()), "environ"),
                StandardCharsets.ISO_8859_1);
            if (List.of(environ.split("\0")).contains(marker)) {
              found.add(process);
            }
          } catch (IOException gone) {
            // ended meanwhile
          }
        });
    return found;
  }

  private static List<String> classesIn(Path log) throws IOException {
    List<String> classes = ClassLoadLog.classesIn(log);
    assertThat(classes).as("the class-load log").hasSizeGreaterThan(100);
    return classes;
  }
}
