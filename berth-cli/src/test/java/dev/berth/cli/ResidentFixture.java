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

/**
 * What the resident process's integration tests share: a work folder whose runtime folder is the
 * process's, a small tree to plan, the environment of a run with and without {@code BERTH_DAEMON},
 * runs through the launcher script, and the test's resident processes.
 */
final class ResidentFixture {
  /** A run's exit status, standard output and error. */
  record Ran(int status, String out, String err) {}

  final Path work;
  /** The jar the runs use (a test may point it at a copy). */
  Path jar = Berth.JAR;

  ResidentFixture(Path work) {
    this.work = work;
  }

  /** Ends this test's resident processes. */
  void stopResidents() {
    for (ProcessHandle process : residents()) {
      process.destroyForcibly();
    }
  }

  /** {@code ./berth ARGS} (the launcher script, with this test's jar), output to pipes as in a script. */
  Ran launcher(boolean daemon, String... args) throws Exception {
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

  /** Two images from scratch, each copying a file: planning them needs no engine, runc or registry. */
  Path tree() throws IOException {
    Path tree = work.resolve("tree");
    for (String name : List.of("a", "b")) {
      Files.createDirectories(tree.resolve(name));
      Files.writeString(tree.resolve(name).resolve("f.txt"), name + "\n");
      Files.writeString(tree.resolve(name).resolve("image.yaml"),
          "base: " + (name.equals("a") ? "scratch" : "a") + "\ncopy:\n  - {src: f.txt, dest: /" + name + "}\n");
    }
    return tree;
  }

  Map<String, String> environment(boolean daemon) {
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

  /** The resident process of this test, once its socket answers (it starts in the background). */
  ProcessHandle awaitResident() throws Exception {
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

  Optional<Path> socket() throws IOException {
    Path folder = work.resolve("runtime").resolve("berth");
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (var files = Files.list(folder)) {
      return files.filter(file -> file.toString().endsWith(".sock")).findFirst();
    }
  }

  static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** This test's resident processes: those whose environment names its runtime folder. */
  List<ProcessHandle> residents() {
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
}
