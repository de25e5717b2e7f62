package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Sends {@link Exchange}s to one registry host: picks https (or plain http where allowed), answers
 * authentication challenges through the {@link Authenticator}, and retries as the
 * {@link RetryPolicy} says. This is the only place requests are retried.
 */
final class RegistryTransport {
  private static final int MAX_ERROR_BODY = 4096;

  private final String host;
  private final HttpClient http;
  private final Authenticator authenticator;
  private final RetryPolicy retryPolicy;
  private final boolean plainHttpAllowed;
  private final Duration requestTimeout;
  private final BodyWatchdog watchdog;
  private final RegistryProxies proxies;
  private volatile String scheme;

  RegistryTransport(String host, HttpClient http, Authenticator authenticator, RetryPolicy retryPolicy,
      boolean plainHttpAllowed, Duration requestTimeout, RegistryProxies proxies) {
    this.host = host;
    this.http = http;
    this.authenticator = authenticator;
    this.retryPolicy = retryPolicy;
    this.plainHttpAllowed = plainHttpAllowed;
    this.requestTimeout = requestTimeout;
    this.watchdog = new BodyWatchdog(requestTimeout, host);
    this.proxies = proxies;
  }

  String host() {
    return host;
  }

  RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  Duration requestTimeout() {
    return requestTimeout;
  }

  /** The absolute URI of {@code path} (which starts with {@code /v2/}) on this registry. */
  URI uri(String path) throws IOException {
    return URI.create(scheme() + "://" + apiHost() + path);
  }

  /** Where the registry's API answers: Docker Hub's {@code docker.io} at {@code registry-1.docker.io}. */
  private String apiHost() {
    return host.equals(dev.berth.oci.ImageReference.DOCKER_HUB) ? dev.berth.oci.ImageReference.DOCKER_HUB_API : host;
  }

  /** Resolves a Location header, which may be relative, against this registry. */
  URI resolveLocation(String location) throws IOException {
    if (location == null || location.isBlank()) {
      throw new RegistryException("registry " + host + " sent no upload location", 0);
    }
    return uri("/").resolve(location);
  }

  /** Runs {@code exchange}, retrying retryable failures and answering one round of authentication. */
  <T> T execute(Exchange<T> exchange) throws IOException {
    int attempts = 0;
    int challenges = 0;
    while (true) {
      attempts++;
      HttpResponse<InputStream> response;
      try {
        HttpRequest.Builder builder = exchange.request(attempts);
        Optional<String> authorization = authenticator.authorization(exchange.scopes());
        authorization.ifPresent(value -> builder.setHeader("Authorization", value));
        response = send(builder.build());
      } catch (IOException e) {
        if (!retryPolicy.isRetryableFailure(e) || !retryPolicy.hasAttemptsLeft(attempts)) {
          throw describeFailure(e);
        }
        pause(retryPolicy.delayBefore(attempts, Optional.empty()));
        continue;
      }
      int status = response.statusCode();
      if (status == 401) {
        drain(response);
        challenges++;
        if (challenges > 1) {
          throw new AuthenticationFailedException(host, "the registry refused the credentials");
        }
        attempts--;
        AuthChallenge challenge = AuthChallenge.parse(response.headers().firstValue("WWW-Authenticate").orElse(null))
            .orElseThrow(() -> new AuthenticationFailedException(host, "unsupported authentication challenge"));
        authenticator.challenged(challenge);
        authenticator.invalidate(exchange.scopes());
        continue;
      }
      if (retryPolicy.isRetryableStatus(status) && retryPolicy.hasAttemptsLeft(attempts)) {
        Optional<Duration> retryAfter = RetryPolicy.parseRetryAfter(
            response.headers().firstValue("Retry-After").orElse(null), ZonedDateTime.now());
        drain(response);
        pause(retryPolicy.delayBefore(attempts, retryAfter));
        continue;
      }
      HttpResponse<InputStream> watched = watchdog.watch(response);  // a body that stalls fails, like a reset
      try (InputStream ignored = watched.body()) {
        return exchange.handle(watched);
      } catch (IOException e) {
        if (!retryPolicy.isRetryableFailure(e) || !retryPolicy.hasAttemptsLeft(attempts)) {
          throw describeFailure(e);
        }
        pause(retryPolicy.delayBefore(attempts, Optional.empty()));
      }
    }
  }

  private HttpResponse<InputStream> send(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while talking to " + host);
    }
  }

  private String scheme() throws IOException {
    String known = scheme;
    if (known == null) {
      synchronized (this) {
        if (scheme == null) {
          scheme = ping();
        }
        known = scheme;
      }
    }
    return known;
  }

  /**
   * Asks {@code /v2/} and learns the challenge. Where plain http is allowed (loopback, or
   * --insecure) it is tried first, since it costs no TLS set-up and a TLS registry answers it with
   * HTTP 400, after which https is used; everywhere else only https.
   */
  private String ping() throws IOException {
    if (plainHttpAllowed) {
      try {
        return ping("http");
      } catch (RegistryException e) {
        if (e.status() != 400) {
          throw e;
        }
      } catch (IOException e) {
        // not speaking plain http: try TLS
      }
    }
    try {
      return ping("https");
    } catch (IOException e) {
      throw describeFailure(e);
    }
  }

  private String ping(String candidate) throws IOException {
    int attempts = 0;
    while (true) {
      attempts++;
      HttpResponse<InputStream> response;
      try {
        response = send(HttpRequest.newBuilder(URI.create(candidate + "://" + apiHost() + "/v2/"))
            .timeout(requestTimeout).GET().build());
      } catch (IOException e) {
        if (!isUnknownHost(e) && !(e instanceof javax.net.ssl.SSLException) && !(e instanceof ConnectException)
            && retryPolicy.isRetryableFailure(e) && retryPolicy.hasAttemptsLeft(attempts)) {
          pause(retryPolicy.delayBefore(attempts, Optional.empty()));
          continue;
        }
        throw e;
      }
      int status = response.statusCode();
      Optional<String> header = response.headers().firstValue("WWW-Authenticate");
      drain(response);
      if (retryPolicy.isRetryableStatus(status) && retryPolicy.hasAttemptsLeft(attempts)) {
        pause(retryPolicy.delayBefore(attempts, RetryPolicy.parseRetryAfter(
            response.headers().firstValue("Retry-After").orElse(null), ZonedDateTime.now())));
        continue;
      }
      if (status == 401) {
        AuthChallenge.parse(header.orElse(null)).ifPresent(authenticator::challenged);
        return candidate;
      }
      if (status == 200) {
        return candidate;
      }
      throw new RegistryException(host + " does not look like a registry: GET /v2/ answered HTTP " + status, status);
    }
  }

  /** A failure to reach the registry, as one clear line without any request details. */
  RegistryException describeFailure(IOException e) {
    if (e instanceof RegistryException registryException) {
      return registryException;
    }
    Optional<URI> proxy = proxies.proxyFor(scheme == null ? "https" : scheme, apiHost());
    if (proxy.isPresent() && !(e instanceof javax.net.ssl.SSLException) && !(e instanceof BodyWatchdog.Stalled)) {
      String through = "registry " + host + " through proxy " + proxy.get().getHost() + ":" + proxy.get().getPort();
      return new RegistryException(isUnknownHost(e) ? "unknown proxy host in " + through
          : e instanceof ConnectException ? "cannot connect to the proxy for " + through
          : through + " failed" + (e.getMessage() == null ? " (the connection broke)" : ": " + e.getMessage()), e);
    }
    if (isUnknownHost(e)) {
      return new RegistryException("unknown registry host " + host, e);
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return new RegistryException("TLS connection to " + host + " failed: " + e.getMessage()
          + " (give the registry's CA with --cert-dir)", e);
    }
    if (e instanceof ConnectException) {
      return new RegistryException("cannot connect to registry " + host, e);
    }
    if (e instanceof BodyWatchdog.Stalled) {
      return new RegistryException(e.getMessage(), e);
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return new RegistryException("registry " + host + " timed out", e);
    }
    return new RegistryException("talking to registry " + host + " failed"
        + (e.getMessage() == null ? " (the connection broke)" : ": " + e.getMessage()), e);
  }

  private static boolean isUnknownHost(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnresolvedAddressException || cause instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private void pause(Duration delay) throws InterruptedIOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry " + host);
    }
  }

  private static void drain(HttpResponse<InputStream> response) {
    try (InputStream body = response.body()) {
      body.skip(1 << 16);
    } catch (IOException ignored) {
      // The connection is discarded; nothing to recover.
    }
  }

  /** The error a non-success response means, with the registry's own error code and message. */
  RegistryException errorFor(String what, HttpResponse<InputStream> response) {
    int status = response.statusCode();
    String detail = "";
    try {
      byte[] body = response.body().readNBytes(MAX_ERROR_BODY);
      JsonNode errors = Json.tree(body).path("errors");
      if (errors.isArray() && !errors.isEmpty()) {
        JsonNode first = errors.get(0);
        detail = ": " + first.path("code").asText("") + " " + first.path("message").asText("");
      }
    } catch (IOException | InvalidContentException ignored) {
      // No readable error document: the status says enough.
    }
    if (status == 403) {
      return new AuthenticationFailedException(host, "access denied to " + what);
    }
    return new RegistryException(what + " on " + host + " failed: HTTP " + status + detail.stripTrailing(), status);
  }

  static List<String> noScopes() {
    return List.of();
  }
}
