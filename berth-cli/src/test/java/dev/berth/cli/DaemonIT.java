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
import dev.berth.cli.ResidentFixture.Ran;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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


  private static List<String> classesIn(Path log) throws IOException {
    List<String> classes = ClassLoadLog.classesIn(log);
    assertThat(classes).as("the class-load log").hasSizeGreaterThan(100);
    return classes;
  }

  private Path tree() throws IOException {
    return fixture.tree();
  }

  private Map<String, String> environment(boolean daemon) {
    return fixture.environment(daemon);
  }

  private ProcessHandle awaitResident() throws Exception {
    return fixture.awaitResident();
  }
}
