package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Authorizes requests to one registry host: nothing until the registry challenges, then Basic with
 * the credentials, or a bearer token fetched from the challenge's realm for the request's scopes and
 * cached per scope set until shortly before it expires.
 */
final class Authenticator {
  private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(5);

  private final String host;
  private final Optional<Credentials> credentials;
  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;
  private final Map<String, Token> tokens = new HashMap<>();
  private AuthChallenge challenge;

  private record Token(String value, Instant expires) {}

  Authenticator(String host, Optional<Credentials> credentials, HttpClient http, Duration timeout, Clock clock) {
    this.host = host;
    this.credentials = credentials;
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** Remembers how the registry wants to be spoken to (from its ping or a 401). */
  synchronized void challenged(AuthChallenge newChallenge) {
    this.challenge = newChallenge;
  }

  /** Forgets the token for {@code scopes}, after the registry refused it. */
  synchronized void invalidate(List<String> scopes) {
    tokens.remove(key(scopes));
  }

  synchronized boolean hasChallenge() {
    return challenge != null;
  }

  /** The Authorization header value for a request needing {@code scopes}, if any is due. */
  synchronized Optional<String> authorization(List<String> scopes) throws IOException {
    if (challenge == null) {
      return Optional.empty();
    }
    if (credentials.isPresent() && credentials.get().kind() == Credentials.Kind.REGISTRY_TOKEN) {
      return Optional.of("Bearer " + credentials.get().secret());
    }
    if (challenge.scheme() == AuthChallenge.Scheme.BASIC) {
      if (credentials.isEmpty()) {
        throw new AuthenticationFailedException(host, "the registry requires credentials and none were given");
      }
      return Optional.of(credentials.get().basicAuthorization());
    }
    String key = key(scopes);
    Token token = tokens.get(key);
    if (token == null || !clock.instant().isBefore(token.expires().minus(EXPIRY_MARGIN))) {
      token = fetchToken(scopes);
      tokens.put(key, token);
    }
    return Optional.of("Bearer " + token.value());
  }

  private Token fetchToken(List<String> scopes) throws IOException {
    StringBuilder query = new StringBuilder();
    String service = challenge.parameter("service");
    if (service != null) {
      query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    for (String scope : new TreeSet<>(scopes)) {
      query.append(query.length() == 0 ? "" : "&").append("scope=")
          .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    }
    String realm = challenge.parameter("realm");
    URI uri;
    try {
      uri = URI.create(realm + (query.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + query));
    } catch (IllegalArgumentException e) {
      throw new RegistryException("registry " + host + " sent an invalid token realm", 0);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (credentials.isPresent() && credentials.get().kind() == Credentials.Kind.IDENTITY_TOKEN) {
      request = refreshTokenRequest(realm, service, scopes, credentials.get().secret());
    } else if (credentials.isPresent()) {
      request.header("Authorization", credentials.get().basicAuthorization());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while fetching a token for " + host);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new AuthenticationFailedException(host, credentials.isPresent()
          ? "the token service refused the credentials" : "the token service requires credentials");
    }
    if (status != 200) {
      throw new RegistryException("token service of " + host + " answered HTTP " + status, status);
    }
    try {
      JsonNode body = Json.tree(response.body());
      String value = body.path("token").asText(body.path("access_token").asText(""));
      if (value.isEmpty()) {
        throw new RegistryException("token service of " + host + " returned no token", status);
      }
      long expiresIn = body.path("expires_in").asLong(0);
      Duration lifetime = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : DEFAULT_TOKEN_LIFETIME;
      return new Token(value, clock.instant().plus(lifetime));
    } catch (InvalidContentException e) {
      throw new RegistryException("token service of " + host + " returned invalid JSON", status);
    }
  }

  /**
   * An identity token is an OAuth2 refresh token: POSTed to the realm as a form with the service and
   * scopes, as docker does, for an access token.
   */
  private HttpRequest.Builder refreshTokenRequest(String realm, String service, List<String> scopes, String token)
      throws RegistryException {
    StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=berth&refresh_token=")
        .append(URLEncoder.encode(token, StandardCharsets.UTF_8));
    if (service != null) {
      form.append("&service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
    }
    if (!scopes.isEmpty()) {
      form.append("&scope=").append(URLEncoder.encode(String.join(" ", new TreeSet<>(scopes)), StandardCharsets.UTF_8));
    }
    try {
      return HttpRequest.newBuilder(URI.create(realm)).timeout(timeout)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
    } catch (IllegalArgumentException e) {
      throw new RegistryException("registry " + host + " sent an invalid token realm", 0);
    }
  }

  private static String key(List<String> scopes) {
    return String.join(" ", new TreeSet<>(scopes));
  }
}
