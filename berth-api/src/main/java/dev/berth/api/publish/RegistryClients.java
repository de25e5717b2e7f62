package dev.berth.api.publish;

import dev.berth.registry.Credentials;
import dev.berth.registry.DockerCredentials;
import dev.berth.registry.RegistryClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach registries: credentials, extra CAs, plain HTTP. One client per host, made on first use
 * so that blob locations carry over to cross-repository mounts; {@link #close()} closes them all.
 */
public final class RegistryClients implements AutoCloseable {
  private final Credentials credentials;
  private final Path certDir;
  private final boolean insecure;
  private final Map<String, String> environment;
  private volatile List<String> plainMirrors = List.of();
  private final Map<String, RegistryClient> clients = new HashMap<>();
  private boolean used;

  /**
   * @param credentials for every registry; null: each host's from ~/.docker/config.json or $DOCKER_CONFIG
   * @param certDir extra CA certificates ({@code *.crt}), or null
   * @param insecure plain HTTP allowed to registries not on loopback
   */
  public RegistryClients(Credentials credentials, Path certDir, boolean insecure, Map<String, String> environment) {
    this.credentials = credentials;
    this.certDir = certDir;
    this.insecure = insecure;
    this.environment = Map.copyOf(environment);
  }

  /** Clients with the credentials docker and skopeo would use, TLS verified. */
  public static RegistryClients fromEnvironment() {
    return new RegistryClients(null, null, false, System.getenv());
  }

  /** Docker Hub mirrors in use: one given as {@code http://} may be reached with plain HTTP. */
  public void useMirrors(List<String> mirrors) {
    this.plainMirrors = List.copyOf(mirrors);
  }

  /** The client for {@code host}, made once. */
  public synchronized RegistryClient clientFor(String host) throws IOException {
    used = true;
    RegistryClient existing = clients.get(host);
    if (existing != null) {
      return existing;
    }
    Optional<Credentials> chosen = credentialsFor(host);
    boolean plainMirror = plainMirrors.stream().anyMatch(mirror -> mirror.startsWith("http://")
        && Registries.mirrorHost(mirror).equals(host));
    RegistryClient.Builder builder = RegistryClient.builder().host(host).credentials(chosen)
        .insecure(insecure || plainMirror);
    if (certDir != null) {
      builder.certDir(certDir);
    }
    RegistryClient client = builder.build();
    clients.put(host, client);
    return client;
  }

  /** Whether a client was asked for: a registry may have been contacted (a no-op that did is never replayed). */
  public synchronized boolean used() {
    return used;
  }

  /** The credentials given, else what Docker's configuration holds for {@code host}. */
  public Optional<Credentials> credentialsFor(String host) throws IOException {
    return credentials != null ? Optional.of(credentials) : DockerCredentials.fromEnvironment(environment).lookup(host);
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(RegistryClient::close);
    clients.clear();
  }
}
