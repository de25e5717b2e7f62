package dev.berth.fleet;

import java.nio.file.Path;

/**
 * A worker as configured: its engine's URL ({@code tcp://HOST:PORT} or {@code unix:///PATH}) and, for
 * TCP with mutual TLS, the directory holding ca.pem, cert.pem and key.pem.
 */
public record WorkerAddress(String url, Path tls) {
  public WorkerAddress {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a worker needs a url (tcp://HOST:PORT or unix:///PATH)");
    }
  }

  /** Reads {@code --worker URL[,tls=DIR]}. */
  public static WorkerAddress parse(String option) {
    String[] parts = option.split(",", -1);
    Path tls = null;
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].startsWith("tls=") || parts[i].length() == 4) {
        throw new IllegalArgumentException("--worker " + option + ": expected URL[,tls=DIR], not '" + parts[i] + "'");
      }
      tls = Path.of(parts[i].substring(4));
    }
    return new WorkerAddress(parts[0], tls);
  }

  @Override
  public String toString() {
    return url;
  }
}
