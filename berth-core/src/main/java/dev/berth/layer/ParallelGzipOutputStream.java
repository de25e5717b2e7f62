package dev.berth.layer;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip compression on several cores, as pigz does: the input is cut into blocks, each deflated on its
 * own thread with the previous block's last 32 KiB as dictionary and ended with a sync flush, and the
 * results are written in order as one gzip member. Each block's output depends only on its input and
 * dictionary, so the stream is the same bytes whatever the thread timing. At most a few blocks per
 * thread are in flight, so memory does not grow with the input.
 */
public final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK_SIZE = 128 * 1024;
  private static final int DICTIONARY_SIZE = 32 * 1024;
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream out;
  private final ExecutorService pool;
  private final int level;
  private final int maxInFlight;
  private final Deque<Block> inFlight = new ArrayDeque<>();
  /** Input blocks whose deflated bytes are written, to be filled again (no new 128 KiB array per block). */
  private final Deque<byte[]> free = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private byte[] block = new byte[BLOCK_SIZE];
  private int filled;
  private byte[] dictionary;

  /** A block handed to the pool: its input array (reused once written) and its deflated bytes to come. */
  private record Block(byte[] input, Future<byte[]> deflated) {}
  private long totalIn;
  private boolean closed;

  /** Compresses into {@code out} at {@code level}, with the blocks deflated on {@code pool}. */
  public ParallelGzipOutputStream(OutputStream out, int level, ExecutorService pool, int threads) throws IOException {
    this.out = out;
    this.level = level;
    this.pool = pool;
    this.maxInFlight = Math.max(2, threads * 3);
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    ensureOpen();
    crc.update(data, offset, length);
    totalIn += length;
    while (length > 0) {
      int n = Math.min(length, BLOCK_SIZE - filled);
      System.arraycopy(data, offset, block, filled, n);
      filled += n;
      offset += n;
      length -= n;
      if (filled == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] input = block;
    int size = filled;
    byte[] preset = dictionary;
    dictionary = Arrays.copyOfRange(input, Math.max(0, size - DICTIONARY_SIZE), size);
    block = free.isEmpty() ? new byte[BLOCK_SIZE] : free.removeFirst();
    filled = 0;
    inFlight.addLast(new Block(input, pool.submit(() -> deflate(input, size, preset, level, last))));
    while (inFlight.size() >= maxInFlight) {
      writeOldest();
    }
  }

  /** One deflater per compressing thread and level, reset between blocks (zlib state is costly to make). */
  private static final ThreadLocal<Deflater[]> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater[10]);
  /** Each compressing thread's output buffer, big enough for any block; only the result is copied out. */
  private static final ThreadLocal<byte[]> OUTPUT = ThreadLocal.withInitial(() -> new byte[outputBound(BLOCK_SIZE)]);

  private static int outputBound(int size) {
    return size + size / 8 + 64;
  }

  private static byte[] deflate(byte[] input, int size, byte[] dictionary, int level, boolean last) {
    Deflater[] byLevel = DEFLATERS.get();
    if (byLevel[level] == null) {
      byLevel[level] = new Deflater(level, true);
    }
    Deflater deflater = byLevel[level];
    deflater.reset();
    try {
      if (dictionary != null && dictionary.length > 0) {
        deflater.setDictionary(dictionary);
      }
      deflater.setInput(input, 0, size);
      if (last) {
        deflater.finish();
      }
      byte[] buffer = OUTPUT.get();
      int length = 0;
      while (true) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);  // not seen: deflate's bound is far below
          OUTPUT.set(buffer);
        }
        int n = deflater.deflate(buffer, length, buffer.length - length, last ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
        length += n;
        if (last ? deflater.finished() : (n == 0 || length < buffer.length) && deflater.needsInput()) {
          break;
        }
      }
      return Arrays.copyOf(buffer, length);
    } finally {
      deflater.reset();
    }
  }

  private void writeOldest() throws IOException {
    Block oldest = inFlight.removeFirst();
    try {
      out.write(oldest.deflated().get());
      free.addLast(oldest.input());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw new IOException("compression failed", e.getCause());
    }
  }

  /** Writes what is compressed so far; the last, partial block stays until close. */
  @Override
  public void flush() throws IOException {
    ensureOpen();
    while (!inFlight.isEmpty()) {
      writeOldest();
    }
    out.flush();
  }

  /** Finishes the gzip member (CRC32 and length trailer) and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        writeOldest();
      }
      long value = crc.getValue();
      byte[] trailer = new byte[8];
      for (int i = 0; i < 4; i++) {
        trailer[i] = (byte) (value >>> (8 * i));
        trailer[4 + i] = (byte) (totalIn >>> (8 * i));
      }
      out.write(trailer);
    } finally {
      closed = true;
      inFlight.forEach(pending -> pending.deflated().cancel(true));
      out.close();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
