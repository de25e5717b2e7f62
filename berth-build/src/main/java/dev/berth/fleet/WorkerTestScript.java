package dev.berth.fleet;

import dev.berth.dockerfile.DockerfileFrontend;
import dev.berth.engine.BuildException;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * A docker-pkg {@code test.sh} for an image built on a worker: run on this machine as docker-pkg runs
 * it ({@code /bin/sh test.sh IMAGE}), with {@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY} and
 * {@code DOCKER_CERT_PATH} naming the worker, so its {@code docker run $1} runs where the image is.
 * {@code $1} is {@code REGISTRY/NAMESPACE/NAME:VERSION} for a versioned image (tagged so in the
 * worker), else the key tag.
 */
final class WorkerTestScript {
  static final String FILE = "test.sh";

  private WorkerTestScript() {}

  static void runIfPresent(PreparedImage prepared, String repository, String keyTag, Worker worker,
      BuildListener log) throws IOException {
    Path folder = prepared.spec().folder();
    if (!Files.isRegularFile(folder.resolve(FILE)) || DockerfileFrontend.isStage(prepared.spec().name())) {
      return;
    }
    String reference = repository + ":" + keyTag;
    if (prepared.version() != null) {
      worker.engine().registryOps().tag(reference, repository, prepared.version());
      reference = repository + ":" + prepared.version();
    }
    ProcessBuilder builder = new ProcessBuilder(List.of("/bin/sh", folder.resolve(FILE).toString(), reference))
        .directory(folder.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment(worker));
    Process process = builder.start();
    StringBuilder tail = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        log.on(new BuildEvent.Output(prepared.spec().name(), line));
        tail.append(line).append(" | ");
        if (tail.length() > 2000) {
          tail.delete(0, tail.length() - 2000);
        }
      }
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new BuildException(FILE + " timed out on " + worker.name());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(FILE + " was interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new BuildException(FILE + " exited " + process.exitValue() + " on " + worker.name()
          + (tail.length() == 0 ? "" : "; last output: " + tail));
    }
  }

  /** The Docker client's variables for the worker: its URL and, for TLS, the certificate directory. */
  static Map<String, String> environment(Worker worker) {
    Path tls = worker.address().tls();
    if (tls == null) {
      return Map.of("DOCKER_HOST", worker.name(), "DOCKER_TLS_VERIFY", "");
    }
    return Map.of("DOCKER_HOST", worker.name(), "DOCKER_TLS_VERIFY", "1",
        "DOCKER_CERT_PATH", tls.toAbsolutePath().toString());
  }
}
