package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What berth processes may leave in a store: runc containers, mounts, run directories, temporary files. */
final class Leftovers {
  private Leftovers() {}

  /** IDs of the runc containers whose bundle is in {@code store}. */
  static List<String> containers(Path store) throws IOException, InterruptedException {
    Process list = new ProcessBuilder("runc", "list", "--format", "json").start();
    byte[] json = list.getInputStream().readAllBytes();
    list.waitFor(10, TimeUnit.SECONDS);
    List<String> out = new ArrayList<>();
    for (JsonNode container : Json.tree(json)) {
      if (container.path("bundle").asText().startsWith(store.toString())) {
        out.add(container.path("id").asText());
      }
    }
    return out;
  }

  /** Mount points in {@code store}. */
  static List<String> mounts(Path store) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(line -> line.split(" ")[4])
        .filter(point -> point.startsWith(store.toString())).toList();
  }

  /** The run directories in {@code store}. */
  static List<String> runDirectories(Path store) throws IOException {
    return names(store.resolve("berth-run"));
  }

  /** Temporary files in {@code store}: partial blobs and entries, half-unpacked snapshots. */
  static List<String> temporaryFiles(Path store) throws IOException {
    List<String> out = new ArrayList<>(names(store.resolve(".berth-tmp")));
    names(store.resolve("berth-snapshots")).stream().filter(name -> name.startsWith(".tmp-")).forEach(out::add);
    return out;
  }

  private static List<String> names(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (var list = Files.list(directory)) {
      return list.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  /** Waits until a container of {@code store} runs (the step has started); fails after a minute. */
  static void awaitContainer(Path store, Process berth) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && berth.isAlive()) {
      if (!containers(store).isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no container started in " + store + " (berth alive: " + berth.isAlive() + ")");
  }
}
