package dev.berth.cli;

import dev.berth.oci.Platform;
import dev.berth.registry.Credentials;
import dev.berth.registry.DockerCredentials;
import dev.berth.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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

  /** Docker Hub mirrors in use (set by tree commands): one given as http:// may use plain HTTP. */
  java.util.List<String> registryMirrors = java.util.List.of();

  private final Map<String, RegistryClient> clients = new HashMap<>();

  /**
   * The same options with {@code credentials} (USER:PASSWORD) instead of --creds, when given: skopeo's
   * --src-creds and --dest-creds. Its clients are its own; close it after use.
   */
  RegistryOptions withCredentials(String credentials) {
    RegistryOptions copy = new RegistryOptions();
    copy.creds = credentials != null ? credentials : creds;
    copy.certDir = certDir;
    copy.insecure = insecure;
    copy.registryMirrors = registryMirrors;
    return copy;
  }

  /** The client for {@code host}, made once per command so blob locations carry over to mounts. */
  public synchronized RegistryClient clientFor(String host) throws IOException {
    RegistryClient existing = clients.get(host);
    if (existing != null) {
      return existing;
    }
    Optional<Credentials> credentials = creds != null
        ? Optional.of(Credentials.parse(creds))
        : DockerCredentials.fromEnvironment(System.getenv()).lookup(host);
    boolean plainMirror = registryMirrors.stream().anyMatch(mirror -> mirror.startsWith("http://")
        && Registries.mirrorHost(mirror).equals(host));
    RegistryClient.Builder builder = RegistryClient.builder().host(host).credentials(credentials)
        .insecure(insecure || plainMirror);
    if (certDir != null) {
      builder.certDir(certDir);
    }
    RegistryClient client = builder.build();
    clients.put(host, client);
    return client;
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(RegistryClient::close);
    clients.clear();
  }

  /** The platform to pick from an index: {@code --all} means null (every platform). */
  static Platform platform(String platform, boolean all) {
    if (all) {
      return null;
    }
    return platform == null ? Platform.host() : Platform.parse(platform);
  }
}
