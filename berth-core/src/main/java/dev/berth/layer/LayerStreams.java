package dev.berth.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/** Compressing and decompressing layer streams. */
public final class LayerStreams {
  /** gzip level of every layer berth writes; part of what makes a layer's bytes. */
  public static final int GZIP_LEVEL = 6;
  /** zstd level and worker count; the worker count is fixed so the output does not depend on the machine. */
  public static final int ZSTD_LEVEL = 3;
  public static final int ZSTD_WORKERS = 2;

  private static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private LayerStreams() {}

  /** Daemon threads that deflate gzip blocks; shared by every layer of the process, holding no state. */
  private static final class Pool {
    static final ExecutorService INSTANCE = Executors.newFixedThreadPool(THREADS, new ThreadFactory() {
      private final AtomicInteger count = new AtomicInteger();

      @Override
      public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "berth-deflate-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      }
    });
  }

  /** A compressing stream; closing it finishes the compressed stream and closes {@code out}. */
  public static OutputStream compress(OutputStream out, Compression compression) throws IOException {
    return switch (compression) {
      case GZIP -> new ParallelGzipOutputStream(out, GZIP_LEVEL, Pool.INSTANCE, THREADS);
      case ZSTD -> {
        ZstdOutputStream zstd = new ZstdOutputStream(out, ZSTD_LEVEL);
        zstd.setWorkers(ZSTD_WORKERS);
        zstd.setChecksum(false);
        yield zstd;
      }
      case NONE -> out;
    };
  }

  public static InputStream decompress(InputStream in, String mediaType) throws IOException {
    return switch (Compression.ofMediaType(mediaType)) {
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> new ZstdInputStream(in);
      case NONE -> in;
    };
  }
}
