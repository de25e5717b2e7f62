package dev.berth.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and secret for a registry; {@link #toString} never shows the secret. */
public record Credentials(String username, String secret) {
  public Credentials {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("credentials need a user name");
    }
    if (secret == null) {
      throw new IllegalArgumentException("credentials need a secret");
    }
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
    return "Credentials[username=" + username + ", secret=***]";
  }
}
