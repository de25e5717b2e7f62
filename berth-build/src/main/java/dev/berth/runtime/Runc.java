package dev.berth.runtime;

import dev.berth.oci.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one container with {@code runc run} from a bundle directory, streaming its output. Containers
 * are named and watched by a {@link RunDirectory} (see {@link RunDirectory#runc()}), so that they
 * are killed when berth is interrupted or dies.
 */
public final class Runc {
  private static final int TAIL_LINES = 20;
  private final String binary;
  private final RunDirectory run;

  Runc(String binary, RunDirectory run) {
    this.binary = binary;
    this.run = run;
  }

  /** How a container ended: its exit code (124 when it timed out) and its last output lines. */
  public record Exit(int code, List<String> tail, boolean timedOut) {
    public boolean succeeded() {
      return code == 0 && !timedOut;
    }

    public String describe() {
      return (timedOut ? "timed out" : "exited " + code) + (tail.isEmpty() ? "" : "; last output: "
          + String.join(" | ", tail));
    }
  }

  /** Writes {@code config} into {@code bundle}/config.json and runs it, killing it after {@code timeout}. */
  public Exit run(Path bundle, Map<String, Object> config, Duration timeout, dev.berth.event.OutputLines output)
      throws IOException {
    Files.write(bundle.resolve("config.json"), Json.pretty(config));
    String id = run.startContainer();
    Process process;
    try {
      process = new ProcessBuilder(binary, "run", "--bundle", bundle.toString(), id)
          .redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      run.containerEnded(id);
      throw new IOException("cannot start runc (is it installed?): " + e.getMessage(), e);
    }
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          output.line(line);
          synchronized (tail) {
            tail.addLast(line);
            if (tail.size() > TAIL_LINES) {
              tail.removeFirst();
            }
          }
        }
      } catch (IOException ignored) {
        // the container is gone; its exit status says what happened
      }
    }, id + "-output");
    reader.setDaemon(true);
    reader.start();
    boolean timedOut = false;
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        quietly(binary, "kill", id, "KILL");
        process.waitFor(10, TimeUnit.SECONDS);
        process.destroyForcibly();
      }
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      quietly(binary, "kill", id, "KILL");
      throw new IOException("interrupted while " + id + " ran", e);
    } finally {
      quietly(binary, "delete", "--force", id);
      run.containerEnded(id);
    }
    synchronized (tail) {
      return new Exit(timedOut ? 124 : process.exitValue(), List.copyOf(tail), timedOut);
    }
  }

  /** Runs a command that only cleans up, waiting up to 10 s; returns whether it succeeded. */
  static boolean quietly(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
