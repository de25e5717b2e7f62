package dev.berth.cli;

import dev.berth.api.publish.RegistryClients;
import dev.berth.oci.Platform;
import dev.berth.registry.Credentials;
import dev.berth.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How to reach registries: credentials, CAs, plain HTTP. One client per host per command, closed
 * with the command ({@link Main} closes a command's closeable mixins after it ran).
 */
public final class RegistryOptions implements AutoCloseable {
  @Option(names = "--creds", paramLabel = "USER:PASSWORD",
      description = "Credentials for the registry (default: from ~/.docker/config.json or $DOCKER_CONFIG).")
  String creds;

  @Option(names = "--cert-dir", paramLabel = "DIR",
      description = "Extra CA certificates (*.crt) to trust, besides certs.d/HOST:PORT/ca.crt.")
  Path certDir;

  @Option(names = "--insecure", description = "Allow plain HTTP to a registry that is not on loopback.")
  boolean insecure;

  private RegistryClients clients;

  /** The registry clients these options describe, made on first use and closed with the command. */
  public synchronized RegistryClients clients() {
    if (clients == null) {
      clients = new RegistryClients(creds == null ? null : Credentials.parse(creds), certDir, insecure, System.getenv());
    }
    return clients;
  }

  /**
   * The same options with {@code credentials} (USER:PASSWORD) instead of --creds, when given: skopeo's
   * --src-creds and --dest-creds. Its clients are its own; close it after use.
   */
  RegistryOptions withCredentials(String credentials) {
    RegistryOptions copy = new RegistryOptions();
    copy.creds = credentials != null ? credentials : creds;
    copy.certDir = certDir;
    copy.insecure = insecure;
    return copy;
  }

  /** The client for {@code host}, made once per command so blob locations carry over to mounts. */
  public RegistryClient clientFor(String host) throws IOException {
    return clients().clientFor(host);
  }


  @Override
  public synchronized void close() {
    if (clients != null) {
      clients.close();
    }
  }

  /** The platform to pick from an index: {@code --all} means null (every platform). */
  static Platform platform(String platform, boolean all) {
    if (all) {
      return null;
    }
    try {
      return platform == null ? Platform.host() : Platform.parse(platform);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--platform: " + e.getMessage());
    }
  }
}
