package dev.berth.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The proxies registry traffic goes through, read from the environment as docker reads it (Go's
 * {@code httpproxy.FromEnvironment}): {@code HTTPS_PROXY} for https, {@code HTTP_PROXY} for http (the
 * upper-case name first, then the lower-case one), and {@code NO_PROXY} for the hosts reached directly:
 * {@code *}, host names (which match their subdomains too; {@code .example.org} only the subdomains),
 * IP addresses and CIDR ranges, each optionally with {@code :PORT}. Unlike Go, a loopback registry is
 * not exempted implicitly: name it in {@code NO_PROXY} to reach it directly.
 */
public final class RegistryProxies {
  private final URI https;
  private final URI http;
  private final List<Exemption> exemptions;

  /** One {@code NO_PROXY} entry. */
  private record Exemption(String host, int port, boolean subdomainsOnly, byte[] network, int prefix) {
    boolean matches(String requestHost, int requestPort, byte[] address) {
      if (port > 0 && port != requestPort) {
        return false;
      }
      if (network != null) {
        return address != null && address.length == network.length && inPrefix(address);
      }
      if (host.equals("*")) {
        return true;
      }
      return requestHost.endsWith("." + host) || (!subdomainsOnly && requestHost.equals(host));
    }

    private boolean inPrefix(byte[] address) {
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  public static final RegistryProxies NONE = new RegistryProxies(null, null, List.of());

  private RegistryProxies(URI https, URI http, List<Exemption> exemptions) {
    this.https = https;
    this.http = http;
    this.exemptions = exemptions;
  }

  /** The proxies {@code environment} names; a malformed proxy URL is refused with the variable's name. */
  public static RegistryProxies fromEnvironment(Map<String, String> environment) {
    URI https = proxyUrl(environment, "HTTPS_PROXY");
    URI http = proxyUrl(environment, "HTTP_PROXY");
    String noProxy = variable(environment, "NO_PROXY");
    List<Exemption> exemptions = new ArrayList<>();
    if (noProxy != null) {
      for (String entry : noProxy.split(",")) {
        String trimmed = entry.strip().toLowerCase(Locale.ROOT);
        if (!trimmed.isEmpty()) {
          exemptions.add(exemption(trimmed));
        }
      }
    }
    return https == null && http == null ? NONE : new RegistryProxies(https, http, List.copyOf(exemptions));
  }

  /** The proxy a request to {@code scheme://hostAndPort} goes through, if any. */
  public Optional<URI> proxyFor(String scheme, String hostAndPort) {
    URI proxy = "https".equals(scheme) ? https : "http".equals(scheme) ? http : null;
    if (proxy == null) {
      return Optional.empty();
    }
    URI target = URI.create(scheme + "://" + hostAndPort);
    String host = target.getHost() == null ? hostAndPort : target.getHost().toLowerCase(Locale.ROOT);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = target.getPort() > 0 ? target.getPort() : scheme.equals("https") ? 443 : 80;
    byte[] address = literalAddress(host);
    for (Exemption exemption : exemptions) {
      if (exemption.matches(host, port, address)) {
        return Optional.empty();
      }
    }
    return Optional.of(proxy);
  }

  /** The selector for an {@link java.net.http.HttpClient}. */
  public ProxySelector selector() {
    return new ProxySelector() {
      @Override
      public List<Proxy> select(URI uri) {
        String authority = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        return proxyFor(uri.getScheme(), authority)
            .map(proxy -> List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(),
                proxy.getPort() > 0 ? proxy.getPort() : 80))))
            .orElse(List.of(Proxy.NO_PROXY));
      }

      @Override
      public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // the transport reports the failure, naming the proxy
      }
    };
  }

  private static String variable(Map<String, String> environment, String name) {
    String value = environment.get(name);
    if (value == null || value.isBlank()) {
      value = environment.get(name.toLowerCase(Locale.ROOT));
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static URI proxyUrl(Map<String, String> environment, String name) {
    String value = variable(environment, name);
    if (value == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(value.contains("://") ? value : "http://" + value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a proxy URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a proxy URL (http://HOST:PORT)");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException(name + ": " + uri.getScheme() + " proxies are not supported (http://HOST:PORT)");
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException(name + ": proxies that need credentials are not supported yet");
    }
    return uri;
  }

  private static Exemption exemption(String entry) {
    String host = entry;
    int port = 0;
    int slash = entry.indexOf('/');
    if (slash > 0) {
      byte[] network = literalAddress(entry.substring(0, slash));
      if (network != null) {
        try {
          int prefix = Integer.parseInt(entry.substring(slash + 1));
          if (prefix >= 0 && prefix <= network.length * 8) {
            return new Exemption(entry, 0, false, network, prefix);
          }
        } catch (NumberFormatException ignored) {
          // not a CIDR range: taken as a host name below, which matches nothing
        }
      }
    }
    int colon = entry.lastIndexOf(':');
    if (colon > 0 && entry.indexOf(':') == colon && entry.substring(colon + 1).chars().allMatch(Character::isDigit)
        && colon < entry.length() - 1) {
      host = entry.substring(0, colon);
      port = Integer.parseInt(entry.substring(colon + 1));
    } else if (entry.startsWith("[") && entry.contains("]:")) {
      host = entry.substring(1, entry.indexOf("]:"));
      port = Integer.parseInt(entry.substring(entry.indexOf("]:") + 2));
    }
    byte[] address = literalAddress(host);
    if (address != null) {
      return new Exemption(host, port, false, address, address.length * 8);
    }
    if (host.startsWith("*.")) {  // as Go reads it: the same as ".example.org"
      host = host.substring(1);
    }
    boolean subdomainsOnly = host.startsWith(".");
    return new Exemption(subdomainsOnly ? host.substring(1) : host, port, subdomainsOnly, null, 0);
  }

  /** The bytes of an IP literal, without any name lookup; null for a host name. */
  private static byte[] literalAddress(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean ipv4 = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean ipv6 = bare.contains(":") && bare.matches("[0-9a-fA-F:.]+");
    if (!ipv4 && !ipv6) {
      return null;
    }
    try {
      return InetAddress.getByName(bare).getAddress();
    } catch (java.net.UnknownHostException e) {
      return null;
    }
  }
}
