package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged berth jar as a real process, as a user would, against one store. */
final class Berth {
  static final Path JAR = Path.of("target", "berth.jar").toAbsolutePath();

  private final Path store;
  private final Map<String, String> environment;

  Berth(Path store) {
    this(store, Map.of());
  }

  Berth(Path store, Map<String, String> environment) {
    this.store = store;
    this.environment = environment;
  }

  record Result(int exitCode, String stdout, String stderr) {
    Result succeeded() {
      assertThat(exitCode).as("exit status of berth; stderr:%n%s", stderr).isZero();
      return this;
    }

    Result failedWithOneLine(String fragment) {
      assertThat(exitCode).as("exit status; stdout: %s", stdout).isNotZero();
      assertThat(stderr.strip().lines()).as("stderr").hasSize(1);
      assertThat(stderr).contains(fragment).doesNotContain("Exception").doesNotContain("\tat ");
      return this;
    }
  }

  Result run(String... args) throws IOException, InterruptedException {
    Process process = start(args);
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("berth did not finish: " + List.of(args));
    }
    Path errorFile = errorFiles.remove(process);
    String err = Files.readString(errorFile, StandardCharsets.UTF_8);
    Files.deleteIfExists(errorFile);
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), err);
  }

  private final java.util.Map<Process, Path> errorFiles = new java.util.concurrent.ConcurrentHashMap<>();

  Process start(String... args) throws IOException {
    assertThat(JAR).as("the packaged jar (run mvn package first)").exists();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    if (store != null) {
      command.add("--store");
      command.add(store.toString());
    }
    Path err = Files.createTempFile("berth-stderr", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    errorFiles.put(process, err);
    return process;
  }

  /** What a process from {@link #start} has written on stderr so far. */
  String stderrOf(Process process) throws IOException {
    return Files.readString(errorFiles.get(process), StandardCharsets.UTF_8);
  }

  /** Every file in the store with its size, to show that a failed command changed nothing. */
  static List<String> snapshot(Path store) throws IOException {
    if (!Files.exists(store)) {
      return List.of();
    }
    try (var walk = Files.walk(store)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().endsWith(".lock"))
          .map(p -> {
            try {
              return store.relativize(p) + " " + Files.size(p);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .sorted()
          .toList();
    }
  }

  /** Runs an external tool and returns its stdout; fails the test with its stderr when it fails. */
  static String tool(Path workingDirectory, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(workingDirectory.toFile()).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("%s failed: %s", List.of(command), new String(err, StandardCharsets.UTF_8)).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Every path under {@code root} with its type, mode, owner and content digest or link target; times left out. */
  static Map<String, String> fileTree(Path root) throws IOException {
    Map<String, String> out = new java.util.TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        var attributes = Files.readAttributes(path, "unix:mode,uid,gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        String what;
        if (Files.isSymbolicLink(path)) {
          what = "link " + Files.readSymbolicLink(path);
        } else if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          what = "dir";
        } else if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          what = "file " + sha256(path);
        } else {
          what = "special " + Files.readAttributes(path, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS).get("rdev");
        }
        out.put("/" + root.relativize(path), what + " " + Integer.toOctalString((int) attributes.get("mode"))
            + " " + attributes.get("uid") + ":" + attributes.get("gid"));
      }
    }
    return out;
  }

  private static String sha256(Path file) throws IOException {
    try (var in = Files.newInputStream(file)) {
      var digest = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
