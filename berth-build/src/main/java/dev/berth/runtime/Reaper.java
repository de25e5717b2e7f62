package dev.berth.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Removes what dead berth processes left in a store: their run directories (after deleting the runc
 * containers started from them and releasing the mounts in them), half-unpacked snapshots and
 * temporary files. A run directory is dead when nobody holds its lock file; one without a lock file
 * when the process its name starts with is gone (or, made by an older berth, when it is an hour
 * old). Nothing of a live berth process is touched.
 */
public final class Reaper {
  private static final long LEGACY_AGE_MILLIS = TimeUnit.HOURS.toMillis(1);

  private Reaper() {}

  /** What one pass removed. */
  public record Report(int runDirectories, int containers, int mounts, int temporaryFiles) {
    public boolean nothing() {
      return runDirectories + containers + mounts + temporaryFiles == 0;
    }
  }

  /** Reaps the store at {@code storeRoot}; {@code runc} is the runc binary its containers ran with. */
  public static Report reap(Path storeRoot, String runc) throws IOException {
    Path runs = storeRoot.resolve(RunDirectory.PARENT);
    int directories = 0;
    int containers = 0;
    int mounts = 0;
    List<Container> running = null;
    for (Path directory : list(runs)) {
      try (Ownership owner = Ownership.claimIfDead(directory)) {
        if (owner == null) {
          continue;
        }
        if (running == null) {
          running = containers(runc);
        }
        for (Container container : running) {
          if (container.bundle().startsWith(directory)) {
            Runc.quietly(runc, "delete", "--force", container.id());
            containers++;
          }
        }
        mounts += Mounts.release(directory);
        deleteQuietly(directory);
        directories++;
      }
    }
    int temporary = removeTemporaryFiles(storeRoot.resolve(".berth-tmp"), OptionalLong.empty())
        + removeTemporaryFiles(storeRoot.resolve("berth-snapshots"), OptionalLong.empty());
    return new Report(directories, containers, mounts, temporary);
  }

  /**
   * Deletes temporary files and half-unpacked snapshots ({@code NAME-PID-…}) of {@code pid}, or when
   * it is empty, of every process that is gone. Returns how many.
   */
  public static int removeTemporaryFiles(Path directory, OptionalLong pid) throws IOException {
    int removed = 0;
    for (Path temp : list(directory)) {
      OptionalLong writer = writerOf(temp.getFileName().toString());
      boolean remove = pid.isPresent()
          ? writer.isPresent() && writer.getAsLong() == pid.getAsLong()
          : writer.isPresent() && ProcessHandle.of(writer.getAsLong()).isEmpty();
      if (remove) {
        deleteQuietly(temp);
        removed++;
      }
    }
    return removed;
  }

  /** The process ID in a temporary name {@code PREFIX-PID-UUID}; empty for any other name. */
  static OptionalLong writerOf(String name) {
    String[] parts = name.split("-");
    if (parts.length < 7) {
      return OptionalLong.empty();
    }
    try {
      UUID.fromString(String.join("-", Arrays.copyOfRange(parts, parts.length - 5, parts.length)));
      return OptionalLong.of(Long.parseLong(parts[parts.length - 6]));
    } catch (IllegalArgumentException notTemporary) {
      return OptionalLong.empty();
    }
  }

  /** A dead run directory's lock, held while it is reaped so that two reapers do not meet. */
  private record Ownership(FileChannel channel, FileLock lock) implements AutoCloseable {
    static Ownership claimIfDead(Path directory) throws IOException {
      Path lockFile = directory.resolve(RunDirectory.LOCK);
      if (!Files.exists(lockFile)) {
        return hasNoLiveOwner(directory) ? new Ownership(null, null) : null;
      }
      FileChannel channel;
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
      } catch (NoSuchFileException reapedMeanwhile) {
        return null;
      }
      try {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return new Ownership(channel, lock);
        }
      } catch (OverlappingFileLockException ours) {
        // this process holds it: alive
      }
      channel.close();
      return null;
    }

    /** A directory without a lock file: being set up by a live process, or left by an older berth. */
    private static boolean hasNoLiveOwner(Path directory) throws IOException {
      String name = directory.getFileName().toString();
      int dash = name.indexOf('-');
      if (dash > 0 && name.substring(0, dash).chars().allMatch(Character::isDigit)) {
        return ProcessHandle.of(Long.parseLong(name.substring(0, dash))).isEmpty();
      }
      return System.currentTimeMillis() - Files.getLastModifiedTime(directory).toMillis() > LEGACY_AGE_MILLIS;
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  /** A runc container: its ID and bundle directory. */
  private record Container(String id, Path bundle) {}

  private static List<Container> containers(String runc) {
    List<Container> out = new ArrayList<>();
    try {
      Process list = new ProcessBuilder(runc, "list", "--format", "json").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] json = list.getInputStream().readAllBytes();
      if (!list.waitFor(10, TimeUnit.SECONDS) || list.exitValue() != 0) {
        return out;
      }
      for (JsonNode container : Json.tree(json)) {
        String bundle = container.path("bundle").asText("");
        if (!bundle.isEmpty()) {
          out.add(new Container(container.path("id").asText(), Path.of(bundle)));
        }
      }
    } catch (IOException e) {
      // no runc here: no containers either
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private static List<Path> list(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.toList();
    }
  }

  /** Deletes a tree that a dead process (and maybe its sentinel, at the same time) left. */
  static void deleteQuietly(Path path) {
    try {
      ImageChecks.deleteTree(path);
    } catch (IOException e) {
      // half gone already (its sentinel deletes it too), or busy: the next reaper tries again
    }
  }
}
