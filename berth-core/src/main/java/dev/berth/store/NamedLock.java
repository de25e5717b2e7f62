package dev.berth.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive hold on one lock file, across the threads of this process and across processes,
 * for work that only one writer should do at a time (unpacking a snapshot, rewriting index.json).
 * The file lock belongs to the whole process, so this process's threads take turns first. Lock files
 * are never deleted: deleting one while another process waits on it would let two writers in.
 * Holds do not nest on the same file.
 */
public final class NamedLock implements AutoCloseable {
  /** The in-process half of each lock, by lock file: file locks cannot tell this process's threads apart. */
  private static final ConcurrentHashMap<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();

  private final ReentrantLock threadLock;
  private final FileChannel channel;

  private NamedLock(ReentrantLock threadLock, FileChannel channel) {
    this.threadLock = threadLock;
    this.channel = channel;
  }

  /** Waits until {@code lockFile} (created when missing) is held by this thread alone. */
  public static NamedLock acquire(Path lockFile) throws IOException {
    Path file = lockFile.toAbsolutePath().normalize();
    ReentrantLock threadLock = THREADS.computeIfAbsent(file, ignored -> new ReentrantLock());
    threadLock.lock();
    FileChannel channel = null;
    try {
      Files.createDirectories(file.getParent());
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lockFile(channel, file);
      return new NamedLock(threadLock, channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      threadLock.unlock();
      throw e;
    }
  }

  /**
   * Waits for the file lock. The kernel tracks file locks per process, not per thread, so when two
   * processes each have a thread waiting for a lock the other holds (different files, no real
   * cycle), it may refuse with EDEADLK ("Resource deadlock avoided"): then wait a moment and ask again.
   */
  private static void lockFile(FileChannel channel, Path file) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        FileLock ignored = channel.lock();
        return;
      } catch (IOException e) {
        if (e.getMessage() == null || !e.getMessage().contains("deadlock") || attempt >= 1000) {
          throw e;
        }
      }
      try {
        Thread.sleep(ThreadLocalRandom.current().nextInt(2, 20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for " + file);
      }
    }
  }

  /** Releases the file lock (closing its channel) and then this process's turn. */
  @Override
  public void close() throws IOException {
    try {
      channel.close();
    } finally {
      threadLock.unlock();
    }
  }
}
