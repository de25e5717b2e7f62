package dev.berth.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only token service for distribution's {@code auth: token}: checks Basic credentials of one
 * user and issues RS256 JWTs granting the requested repository scopes, signed by a key whose
 * certificate the registry trusts ({@code rootcertbundle}) and carried in the {@code x5c} header.
 */
public final class TokenIssuer implements AutoCloseable {
  public static final String SERVICE = "berth-test-registry";
  public static final String ISSUER = "berth-test-issuer";

  private final HttpServer server;
  private final Path directory;
  private final PrivateKey key;
  private final String certificateChain;
  private final String user;
  private final String password;
  private final long lifetimeSeconds;
  private final AtomicInteger issued = new AtomicInteger();
  private final List<String> requestedScopes = java.util.Collections.synchronizedList(new ArrayList<>());

  private TokenIssuer(HttpServer server, Path directory, PrivateKey key, String certificateChain, String user,
      String password, long lifetimeSeconds) {
    this.server = server;
    this.directory = directory;
    this.key = key;
    this.certificateChain = certificateChain;
    this.user = user;
    this.password = password;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  public static TokenIssuer start(String user, String password, long lifetimeSeconds)
      throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("berth-token-issuer");
    TestCertificates.signingKey(directory, ISSUER);
    PrivateKey key;
    String chain;
    try {
      String pem = Files.readString(directory.resolve("token.key"))
          .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
      X509Certificate certificate;
      try (var in = Files.newInputStream(directory.resolve("token.crt"))) {
        certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      chain = Base64.getEncoder().encodeToString(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the test signing key", e);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    TokenIssuer issuer = new TokenIssuer(server, directory, key, chain, user, password, lifetimeSeconds);
    server.createContext("/token", issuer::handle);
    server.start();
    return issuer;
  }

  public String realm() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  public Path certificate() {
    return directory.resolve("token.crt");
  }

  /** How many tokens were issued so far. */
  public int issued() {
    return issued.get();
  }

  public List<String> requestedScopes() {
    return List.copyOf(requestedScopes);
  }

  private volatile String refreshToken;

  /** Also issue tokens for this OAuth2 refresh token (docker's identity token), POSTed as grant_type=refresh_token. */
  public TokenIssuer acceptingRefreshToken(String token) {
    this.refreshToken = token;
    return this;
  }

  /** A token for {@code scopes}, as a client would fetch it with the user's password. */
  public String tokenFor(String... scopes) throws IOException {
    return sign(access(List.of(scopes)));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      List<String> scopes = new ArrayList<>();
      if (exchange.getRequestMethod().equals("POST")) {
        java.util.Map<String, String> form = new java.util.HashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
          String[] parts = pair.split("=", 2);
          if (parts.length == 2) {
            form.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
          }
        }
        if (refreshToken == null || !"refresh_token".equals(form.get("grant_type"))
            || !refreshToken.equals(form.get("refresh_token"))) {
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        if (form.containsKey("scope")) {
          scopes.addAll(List.of(form.get("scope").split(" ")));
        }
      } else {
        String expected = "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.sendResponseHeaders(401, -1);
          return;
        }
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
          String[] parts = pair.split("=", 2);
          if (parts.length == 2 && parts[0].equals("scope")) {
            scopes.add(URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
          }
        }
      }
      requestedScopes.addAll(scopes);
      String token = sign(access(scopes));
      byte[] body = Json.canonical(exchange.getRequestMethod().equals("POST")
          ? java.util.Map.of("access_token", token, "expires_in", lifetimeSeconds)
          : java.util.Map.of("token", token, "expires_in", lifetimeSeconds));
      issued.incrementAndGet();
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static ArrayNode access(List<String> scopes) {
    ArrayNode access = Json.mapper().createArrayNode();
    for (String scope : scopes) {
      String[] fields = scope.split(":");
      if (fields.length == 3) {
        ObjectNode entry = access.addObject();
        entry.put("type", fields[0]);
        entry.put("name", fields[1]);
        ArrayNode actions = entry.putArray("actions");
        for (String action : fields[2].split(",")) {
          actions.add(action);
        }
      }
    }
    return access;
  }

  private String sign(ArrayNode access) throws IOException {
    ObjectNode header = Json.mapper().createObjectNode();
    header.put("alg", "RS256");
    header.put("typ", "JWT");
    header.putArray("x5c").add(certificateChain);
    long now = Instant.now().getEpochSecond();
    ObjectNode claims = Json.mapper().createObjectNode();
    claims.put("iss", ISSUER);
    claims.put("sub", user);
    claims.put("aud", SERVICE);
    claims.put("iat", now);
    claims.put("nbf", now - 10);
    claims.put("exp", now + lifetimeSeconds);
    claims.put("jti", UUID.randomUUID().toString());
    claims.set("access", access);
    String signingInput = base64Url(Json.canonical(header)) + "." + base64Url(Json.canonical(claims));
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + base64Url(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign a test token", e);
    }
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    LocalRegistry.deleteRecursively(directory);
  }
}
