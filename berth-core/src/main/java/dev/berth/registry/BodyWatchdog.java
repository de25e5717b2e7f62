package dev.berth.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * Notices a response body that stops arriving. The HTTP client's request timeout ends when the
 * headers arrive; after that a read waits for ever. Each watched body is checked once per
 * {@code stallTimeout}: when no byte came in the whole period, the body is closed (which wakes the
 * reader) and the read fails with an {@link HttpTimeoutException}, retried like a reset.
 */
final class BodyWatchdog {
  private final Duration stallTimeout;
  private final String host;
  private final ScheduledThreadPoolExecutor timer;

  BodyWatchdog(Duration stallTimeout, String host) {
    this.stallTimeout = stallTimeout;
    this.host = host;
    this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "berth-body-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    timer.setKeepAliveTime(1, TimeUnit.SECONDS);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
  }

  /** {@code response} with a body that fails instead of hanging when it stalls. */
  HttpResponse<InputStream> watch(HttpResponse<InputStream> response) {
    return new Watched(response, new StallDetecting(response.body()));
  }

  /** Counts bytes; a timer closes the stream when a period passes without any. */
  private final class StallDetecting extends FilterInputStream {
    private volatile long bytes;
    private volatile boolean stalled;
    private final ScheduledFuture<?> check;

    StallDetecting(InputStream body) {
      super(body);
      long period = stallTimeout.toMillis();
      long[] seen = {-1};
      this.check = timer.scheduleAtFixedRate(() -> {
        if (bytes == seen[0]) {
          stalled = true;
          closeQuietly();
        }
        seen[0] = bytes;
      }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public int read() throws IOException {
      int b = checked(() -> super.read());
      if (b >= 0) {
        bytes++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = checked(() -> super.read(buffer, offset, length));
      if (n > 0) {
        bytes += n;
      }
      return n;
    }

    private int checked(IoRead read) throws IOException {
      try {
        int result = read.run();
        if (stalled) {
          throw stall(null);
        }
        return result;
      } catch (IOException e) {
        throw stalled ? stall(e) : e;
      }
    }

    private Stalled stall(IOException cause) {
      Stalled e = new Stalled("registry " + host + " stopped sending in the middle of a response (nothing for "
          + stallTimeout.toMillis() / 1000.0 + " s)");
      if (cause != null) {
        e.initCause(cause);
      }
      return e;
    }

    private void closeQuietly() {
      try {
        super.close();
      } catch (IOException ignored) {
        // the reader gets the stall either way
      }
    }

    @Override
    public void close() throws IOException {
      check.cancel(false);
      super.close();
    }
  }

  /** A response body stopped arriving: retried like a reset; its message says so when retries run out. */
  static final class Stalled extends HttpTimeoutException {
    Stalled(String message) {
      super(message);
    }
  }

  private interface IoRead {
    int run() throws IOException;
  }

  /** The response as it came, with the watched body. */
  private record Watched(HttpResponse<InputStream> response, InputStream body) implements HttpResponse<InputStream> {
    @Override
    public int statusCode() {
      return response.statusCode();
    }

    @Override
    public HttpRequest request() {
      return response.request();
    }

    @Override
    public Optional<HttpResponse<InputStream>> previousResponse() {
      return response.previousResponse();
    }

    @Override
    public HttpHeaders headers() {
      return response.headers();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return response.sslSession();
    }

    @Override
    public URI uri() {
      return response.uri();
    }

    @Override
    public HttpClient.Version version() {
      return response.version();
    }
  }
}
