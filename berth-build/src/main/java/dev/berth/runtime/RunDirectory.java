package dev.berth.runtime;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * This berth process's working directory in a store, {@code berth-run/PID-RANDOM/}: steps and
 * checks work under it. Its lock file is held while the process lives, which tells other berth
 * processes it is in use; opening one first reaps what dead processes left ({@link Reaper}). The runc
 * containers started from here are named {@code berth-PID-RANDOM-N}, killed on {@link #interrupt},
 * and tied to this process by a {@link Sentinel}, so that they die with it even on kill -9.
 */
public final class RunDirectory implements AutoCloseable {
  static final String PARENT = "berth-run";
  static final String LOCK = "owner.lock";

  private final String runc;
  private final Path directory;
  private final String containerPrefix;
  private final Set<String> containers = new HashSet<>();
  private FileChannel lock;
  private Sentinel sentinel;
  private int nextContainer;
  private int activeWork;
  private boolean interrupted;
  private boolean closed;

  private RunDirectory(Path storeRoot, String runc) {
    this.runc = runc;
    String id = ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.directory = storeRoot.resolve(PARENT).resolve(id);
    this.containerPrefix = "berth-" + id + "-";
  }

  /**
   * Reaps the store, then returns this process's run directory there (made when first used), whose
   * containers run with {@code runc}.
   */
  public static RunDirectory open(Path storeRoot, String runc) throws IOException {
    Reaper.reap(storeRoot, runc);
    return new RunDirectory(storeRoot, runc);
  }

  public Path path() {
    return directory;
  }

  /** Runs containers from here. */
  public Runc runc() {
    return new Runc(runc, this);
  }

  /** A fresh directory for one step or check, deleted with everything in it when closed. */
  public synchronized Work newWork(String kind) throws IOException {
    checkRunning();
    if (lock == null) {
      // Locked before it gets its name: a reaper never finds this lock file unheld.
      Path unnamed = Files.createDirectories(directory).resolve(LOCK + ".new");
      lock = FileChannel.open(unnamed, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock.lock();
      Files.move(unnamed, directory.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
    }
    Work work = new Work(Files.createDirectories(directory.resolve(kind + "-" + UUID.randomUUID())));
    activeWork++;
    return work;
  }

  /** One step's or check's directory; see {@link #newWork}. */
  public final class Work implements AutoCloseable {
    private final Path path;
    private boolean released;

    private Work(Path path) {
      this.path = path;
    }

    public Path path() {
      return path;
    }

    @Override
    public void close() throws IOException {
      try {
        Mounts.release(path);
        ImageChecks.deleteTree(path);
      } finally {
        synchronized (RunDirectory.this) {
          if (!released) {
            released = true;
            activeWork--;
            RunDirectory.this.notifyAll();
          }
        }
      }
    }
  }

  /** Names a container about to start and makes sure it dies with this process. */
  synchronized String startContainer() throws IOException {
    checkRunning();
    if (sentinel == null) {
      sentinel = Sentinel.start(runc, containerPrefix, directory);
    }
    String id = containerPrefix + ++nextContainer;
    containers.add(id);
    return id;
  }

  synchronized void containerEnded(String id) {
    containers.remove(id);
  }

  private void checkRunning() throws IOException {
    if (interrupted || closed) {
      throw new InterruptedIOException("berth was interrupted");
    }
  }

  /**
   * Stops the run: nothing new starts, running containers are killed, and this waits up to
   * {@code grace} for the steps and checks to release their mounts and directories.
   */
  public void interrupt(Duration grace) {
    List<String> running;
    synchronized (this) {
      interrupted = true;
      running = List.copyOf(containers);
    }
    for (String id : running) {
      Runc.quietly(runc, "kill", id, "KILL");
    }
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (this) {
      while (activeWork > 0 && System.nanoTime() < deadline) {
        try {
          wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Removes the run directory (releasing anything still mounted in it) and dismisses the sentinel. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (lock != null) {
        Mounts.release(directory);
        Reaper.deleteQuietly(directory);
        lock.close();
      }
    } finally {
      if (sentinel != null) {
        sentinel.dismiss();
      }
    }
  }
}
