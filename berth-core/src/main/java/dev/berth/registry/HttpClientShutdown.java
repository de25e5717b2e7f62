package dev.berth.registry;

import java.net.http.HttpClient;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stops an {@link HttpClient}'s selector thread. A JVM that exits while that thread waits in
 * {@code epoll_wait} spends 0.3 s waiting for it first. JDK 21's client closes itself; JDK 17's has
 * no such method, but ends its selector loop when the thread is interrupted, and its
 * {@code toString} ends with the id that names that thread (the JDK's own tests rely on both).
 */
final class HttpClientShutdown {
  private static final Pattern CLIENT_ID = Pattern.compile("\\((\\d+)\\)$");
  private static final long JOIN_MILLIS = 1000;

  private HttpClientShutdown() {}

  static void shutdown(HttpClient http) {
    if (http instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing only releases threads and connections; nothing is left to recover.
      }
      return;
    }
    Matcher id = CLIENT_ID.matcher(http.toString());
    if (!id.find()) {
      return;
    }
    String selectorName = "HttpClient-" + id.group(1) + "-SelectorManager";
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(selectorName)) {
        thread.interrupt();
        try {
          thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
