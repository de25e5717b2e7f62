package dev.berth.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real tools tests rely on; a missing tool fails the test rather than skipping it. */
public final class ExternalTools {
  private ExternalTools() {}

  /** The result of a finished command. */
  public record Result(int exitCode, String stdout, String stderr) {
    public Result orFail(List<String> command) {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ": " + stderr);
      }
      return this;
    }
  }

  public static Path require(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(tool + " is not installed; the integration tests need it (apt-get install it)");
  }

  public static Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, null);
  }

  public static Result run(List<String> command, Path directory) throws IOException, InterruptedException {
    require(command.get(0));
    ProcessBuilder builder = new ProcessBuilder(command);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Path out = Files.createTempFile("berth-tool", ".out");
    Path err = Files.createTempFile("berth-tool", ".err");
    try {
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  public static Result runOrFail(String... command) throws IOException, InterruptedException {
    return run(List.of(command)).orFail(List.of(command));
  }
}
