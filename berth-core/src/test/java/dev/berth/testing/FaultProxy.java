package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a registry that injects faults, each once: connections reset
 * after some bytes of a request or response, HTTP 503 or 429 (with Retry-After) answered instead
 * of forwarding, and stalls before a response or in the middle of one. Answer faults apply to new connections in order;
 * reset and stall faults to the first connection that carries enough bytes. It stops by itself after
 * {@code lifetime}, and on close.
 */
public final class FaultProxy implements AutoCloseable {
  /** One fault to inject. */
  public sealed interface Fault {
    /** Answer the next new connection's first request with this status, then close it. */
    record Answer(int status, int retryAfterSeconds) implements Fault {}

    /** Reset the first connection whose request bytes pass {@code afterBytes}. */
    record ResetUpload(long afterBytes) implements Fault {}

    /** Reset the first connection whose response bytes pass {@code afterBytes}. */
    record ResetDownload(long afterBytes) implements Fault {}

    /** Hold the first response of the next new connection for {@code stall}. */
    record Stall(Duration stall) implements Fault {}

    /** Hold the first connection whose response bytes pass {@code afterBytes} for {@code stall}: mid-body. */
    record StallDownload(long afterBytes, Duration stall) implements Fault {}
  }

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "fault-proxy");
    thread.setDaemon(true);
    return thread;
  });
  private final ConcurrentLinkedQueue<Fault> answers = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Fault> resets = new ConcurrentLinkedQueue<>();
  private final AtomicInteger injected = new AtomicInteger();
  private final List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closed;

  private FaultProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  public static FaultProxy start(int targetPort, Duration lifetime, List<Fault> faults) throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    FaultProxy proxy = new FaultProxy(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    for (Fault fault : faults) {
      (fault instanceof Fault.Answer || fault instanceof Fault.Stall ? proxy.answers : proxy.resets).add(fault);
    }
    proxy.threads.submit(proxy::acceptLoop);
    proxy.threads.submit(() -> {
      Thread.sleep(lifetime.toMillis());
      proxy.close();
      return null;
    });
    return proxy;
  }

  /** {@code 127.0.0.1:PORT}, the host to put in references that should go through the proxy. */
  public String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** How many faults actually happened. */
  public int injected() {
    return injected.get();
  }

  /** How many faults are still waiting for a connection to hit. */
  public int pending() {
    return answers.size() + resets.size();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        threads.submit(() -> serve(client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Fault first = answers.poll();
    try {
      if (first instanceof Fault.Answer answer) {
        readRequestHead(client.getInputStream());
        String response = "HTTP/1.1 " + answer.status() + " Injected\r\nContent-Length: 0\r\nConnection: close\r\n"
            + (answer.retryAfterSeconds() > 0 ? "Retry-After: " + answer.retryAfterSeconds() + "\r\n" : "") + "\r\n";
        client.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        injected.incrementAndGet();
        client.close();
        return;
      }
      Socket upstream = new Socket();
      sockets.add(upstream);
      upstream.connect(target, 5000);
      Duration stall = first instanceof Fault.Stall s ? s.stall() : Duration.ZERO;
      threads.submit(() -> pump(client.getInputStream(), upstream.getOutputStream(), client, upstream, true, Duration.ZERO));
      pump(upstream.getInputStream(), client.getOutputStream(), client, upstream, false, stall);
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private Void pump(InputStream in, OutputStream out, Socket client, Socket upstream, boolean upload, Duration stall) {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    boolean stalled = stall.isZero();
    try {
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (!stalled) {
          stalled = true;
          injected.incrementAndGet();
          Thread.sleep(stall.toMillis());
        }
        total += n;
        if (shouldReset(upload, total)) {
          injected.incrementAndGet();
          client.setSoLinger(true, 0);
          client.close();
          upstream.close();
          return null;
        }
        out.write(buffer, 0, n);
        out.flush();
        Duration midBody = midBodyStall(upload, total);
        if (!midBody.isZero()) {
          injected.incrementAndGet();
          Thread.sleep(midBody.toMillis());
        }
      }
    } catch (IOException | InterruptedException e) {
      // one side went away: close both
    }
    closeQuietly(client);
    closeQuietly(upstream);
    return null;
  }

  private boolean shouldReset(boolean upload, long total) {
    Fault next = resets.peek();
    boolean matches = upload
        ? next instanceof Fault.ResetUpload up && total > up.afterBytes()
        : next instanceof Fault.ResetDownload down && total > down.afterBytes();
    return matches && resets.remove(next);
  }

  private Duration midBodyStall(boolean upload, long total) {
    Fault next = resets.peek();
    if (!upload && next instanceof Fault.StallDownload stall && total > stall.afterBytes() && resets.remove(next)) {
      return stall.stall();
    }
    return Duration.ZERO;
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    synchronized (sockets) {
      sockets.forEach(FaultProxy::closeQuietly);
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
