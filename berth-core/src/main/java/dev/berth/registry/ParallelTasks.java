package dev.berth.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A bounded pool for blob transfers; the first failure cancels the rest and is rethrown as it was. */
final class ParallelTasks implements AutoCloseable {
  /** A transfer that may fail with an IOException. */
  interface Task {
    void run() throws IOException;
  }

  private final ExecutorService pool;

  ParallelTasks(int parallelism, String host) {
    AtomicInteger counter = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(parallelism, runnable -> {
      Thread thread = new Thread(runnable, "berth-registry-" + host + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  Future<Void> submit(Task task) {
    return pool.submit(() -> {
      task.run();
      return null;
    });
  }

  /** Waits for every task; on the first failure cancels the others and throws it. */
  static void awaitAll(List<Future<Void>> futures) throws IOException {
    List<Future<Void>> pending = new ArrayList<>(futures);
    try {
      for (Future<Void> future : pending) {
        future.get();
      }
    } catch (ExecutionException e) {
      pending.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    } catch (InterruptedException e) {
      pending.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while transferring blobs");
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
