package dev.berth.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What berth proves itself with to a registry, as docker's config.json can hold it: a user name and
 * password; an identity token ({@code identitytoken}, an OAuth2 refresh token exchanged at the token
 * service for access tokens); or a registry token ({@code registrytoken}, sent as it is as a bearer
 * token). {@link #toString} never shows the secret.
 */
public record Credentials(String username, String secret, Kind kind) {
  /** How {@link #secret} is used. */
  public enum Kind { PASSWORD, IDENTITY_TOKEN, REGISTRY_TOKEN }

  /** The user name docker and credential helpers give an identity token. */
  public static final String TOKEN_USER = "<token>";

  public Credentials {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("credentials need a user name");
    }
    if (secret == null) {
      throw new IllegalArgumentException("credentials need a secret");
    }
    if (kind == null) {
      throw new IllegalArgumentException("credentials need a kind");
    }
  }

  public Credentials(String username, String secret) {
    this(username, secret, Kind.PASSWORD);
  }

  public static Credentials identityToken(String username, String token) {
    return new Credentials(username == null || username.isEmpty() ? TOKEN_USER : username, token, Kind.IDENTITY_TOKEN);
  }

  public static Credentials registryToken(String token) {
    return new Credentials(TOKEN_USER, token, Kind.REGISTRY_TOKEN);
  }

  /** Parses {@code USER:PASS} as given to {@code --creds}; the password may contain colons. */
  public static Credentials parse(String userColonSecret) {
    int colon = userColonSecret.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("credentials must be USER:PASSWORD");
    }
    return new Credentials(userColonSecret.substring(0, colon), userColonSecret.substring(colon + 1));
  }

  /** The value of an {@code Authorization: Basic} header. */
  public String basicAuthorization() {
    String pair = username + ":" + secret;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", secret=***, kind=" + kind + "]";
  }
}
