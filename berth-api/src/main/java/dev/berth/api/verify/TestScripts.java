package dev.berth.api.verify;

import dev.berth.engine.KeyedBuild;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.spec.ImageSpec;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.berth.event.BuildListener;
import dev.berth.event.OutputLines;

/**
 * A docker-pkg style {@code test.sh}: run on the host with the image reference as {@code $1}, after
 * the image is loaded into the Docker engine, since such scripts call {@code docker run $1}. With no
 * engine, the check cannot run, and that is a failure, never a pass.
 */
public final class TestScripts {
  static final String SOCKET = "unix:///var/run/docker.sock";

  private TestScripts() {}

  /**
   * How a test script is run: docker-pkg's {@code verify_command} and {@code verify_args}, with
   * {@code {path}} (the image folder) and {@code {image}} (its reference) filled in; {@code environment}
   * is added to berth's, or, when {@code exact}, is the whole environment (as docker-pkg runs it), with
   * only {@code DOCKER_HOST} added: the engine the image was loaded into.
   */
  public record Invocation(String command, List<String> args, java.util.Map<String, String> environment, boolean exact) {
    public static final Invocation DEFAULT = new Invocation("/bin/sh", List.of("{path}/test.sh", "{image}"), java.util.Map.of(),
        false);

    List<String> argv(Path folder, String image) {
      List<String> out = new java.util.ArrayList<>(List.of(command));
      args.forEach(arg -> out.add(arg.replace("{image}", image).replace("{path}", folder.toString())));
      return out;
    }

    /** As docker-pkg: an image has checks unless an argument names a {path} file that is not there. */
    boolean applies(Path folder) {
      return args.stream().flatMap(arg -> java.util.Arrays.stream(arg.split("\\s+")))
          .filter(part -> part.contains("{path}"))
          .allMatch(part -> Files.exists(Path.of(part.replace("{path}", folder.toString()))));
    }
  }

  /** Runs the folder's test.sh with {@code reference} as $1; the image is loaded under that name and its own. */
  public static void run(ContentStore store, ImageSpec spec, KeyedBuild.Outcome image, String reference, Invocation invocation,
      BuildListener log) throws IOException, InterruptedException {
    DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
    if (!engine.available()) {
      throw new IOException("test.sh needs a Docker engine to load the image into, and none answers at "
          + engine.address());
    }
    List<String> names = new java.util.ArrayList<>(image.refNames());
    if (!names.contains(reference)) {
      names.add(reference);
    }
    load(store, new KeyedBuild.Outcome(image.spec(), image.key(), image.manifest(), names, image.built(), image.version()),
        engine);
    java.util.Map<String, String> environment = new java.util.TreeMap<>(invocation.environment());
    if (invocation.exact()) {
      environment.put("DOCKER_HOST", engine.address());
    }
    run(invocation.argv(spec.folder(), reference), environment, invocation.exact(), spec.folder(),
        OutputLines.of(spec.name(), log), "test.sh");
  }

  /** Puts a built image into the engine under all its names (docker load of a docker-archive). */
  public static List<String> load(ContentStore store, KeyedBuild.Outcome image, DockerEngine engine) throws IOException {
    Path archive = Files.createTempFile("berth-load-", ".tar");
    try {
      DockerArchive.write(store, image.manifest(), image.refNames(), archive);
      return engine.load(archive);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static void run(List<String> command, java.util.Map<String, String> environment, boolean exact,
      Path directory, OutputLines output, String what) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    if (exact) {
      builder.environment().clear();
    }
    builder.environment().putIfAbsent("DOCKER_HOST", SOCKET);
    builder.environment().putAll(environment);
    Process process = builder.start();
    StringBuilder tail = new StringBuilder();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        output.line(line);
        tail.append(line).append(" | ");
        if (tail.length() > 2000) {
          tail.delete(0, tail.length() - 2000);
        }
      }
    }
    if (!process.waitFor(30, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IOException(what + " timed out");
    }
    if (process.exitValue() != 0) {
      throw new IOException(what + " exited " + process.exitValue() + (tail.length() == 0 ? "" : "; last output: " + tail));
    }
  }
}
