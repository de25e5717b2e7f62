package dev.berth.registry;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A request body of {@code length} bytes of a file from {@code start}, read in large chunks. The
 * JDK's file and stream publishers hand the client 16 KiB at a time, and every hand-over costs more
 * than copying the bytes does; a megabyte per chunk moves a blob with a few hundred of them. Each
 * subscriber reads the file afresh, so a request can be sent again. A position listener is told,
 * after each chunk handed over, how far into the file the body has got.
 */
final class FileRangePublisher implements HttpRequest.BodyPublisher {
  static final int CHUNK_SIZE = 1 << 20;

  private final Path file;
  private final long start;
  private final long length;
  private final LongConsumer position;

  private FileRangePublisher(Path file, long start, long length, LongConsumer position) {
    this.file = file;
    this.start = start;
    this.length = length;
    this.position = position;
  }

  /** The whole of {@code file}, which must hold {@code size} bytes. */
  static FileRangePublisher whole(Path file, long size) {
    return range(file, 0, size);
  }

  /** {@code length} bytes of {@code file} from {@code start}. */
  static FileRangePublisher range(Path file, long start, long length) {
    Objects.requireNonNull(file, "file");
    if (start < 0 || length < 0) {
      throw new IllegalArgumentException("invalid range of " + file + ": " + start + "+" + length);
    }
    return new FileRangePublisher(file, start, length, position -> {});
  }

  /** This body, telling {@code listener} the file offset up to which it has been handed over. */
  FileRangePublisher reporting(LongConsumer listener) {
    return new FileRangePublisher(file, start, length, Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public long contentLength() {
    return length;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    Subscription subscription = new Subscription(subscriber);
    subscriber.onSubscribe(subscription);
    subscription.drain();
  }

  /**
   * Reads and delivers chunks while there is demand. {@link #drain} runs on one thread at a time:
   * a call that finds another under way only leaves it more to do, which also keeps a subscriber
   * that requests from inside {@code onNext} from recursing.
   */
  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger pendingDrains = new AtomicInteger();
    private volatile boolean cancelled;
    private volatile Throwable invalidRequest;
    private FileChannel channel;
    private long sent;
    private boolean finished;

    Subscription(Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        invalidRequest = new IllegalArgumentException("non-positive request " + n);
      } else {
        demand.getAndAccumulate(n, (current, more) -> current + more < 0 ? Long.MAX_VALUE : current + more);
      }
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
      drain();
    }

    void drain() {
      if (pendingDrains.getAndIncrement() != 0) {
        return;
      }
      do {
        deliver();
      } while (pendingDrains.decrementAndGet() != 0);
    }

    private void deliver() {
      while (!finished) {
        if (cancelled) {
          finish();
          return;
        }
        if (invalidRequest != null) {
          finish();
          subscriber.onError(invalidRequest);
          return;
        }
        if (sent == length) {
          finish();
          subscriber.onComplete();
          return;
        }
        if (demand.get() == 0) {
          return;
        }
        ByteBuffer chunk;
        try {
          chunk = readChunk();
        } catch (IOException e) {
          finish();
          subscriber.onError(e);
          return;
        }
        demand.decrementAndGet();
        subscriber.onNext(chunk);
        position.accept(start + sent);
      }
    }

    private ByteBuffer readChunk() throws IOException {
      if (channel == null) {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      }
      ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_SIZE, length - sent));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, start + sent + chunk.position()) < 0) {
          throw new IOException(file + " ended after " + (start + sent + chunk.position())
              + " bytes, expected " + (start + length));
        }
      }
      sent += chunk.flip().remaining();
      return chunk;
    }

    private void finish() {
      finished = true;
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Only read from; nothing is lost.
        }
      }
    }
  }
}
