package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HTTPS_PROXY, HTTP_PROXY and NO_PROXY read as Go's httpproxy reads them (docker's rules), loopback included. */
@Tag("unit")
class RegistryProxiesTest {
  private static final URI PROXY = URI.create("http://proxy.example:3128");

  private static Optional<URI> via(String noProxy, String scheme, String host) {
    return RegistryProxies.fromEnvironment(Map.of("HTTPS_PROXY", PROXY.toString(), "HTTP_PROXY", PROXY.toString(),
        "NO_PROXY", noProxy)).proxyFor(scheme, host);
  }

  @Test
  void noProxyEntriesMatchAsGoMatchesThem() {
    assertThat(via("", "https", "registry.example.org")).contains(PROXY);
    assertThat(via("", "https", "127.0.0.1:5000")).as("loopback is not exempt implicitly").contains(PROXY);
    assertThat(via("*", "https", "registry.example.org")).isEmpty();
    assertThat(via("example.org", "https", "example.org")).isEmpty();
    assertThat(via("example.org", "https", "registry.example.org")).isEmpty();
    assertThat(via("example.org", "https", "badexample.org")).contains(PROXY);
    assertThat(via(".example.org", "https", "example.org")).contains(PROXY);
    assertThat(via(".example.org", "https", "registry.example.org")).isEmpty();
    assertThat(via("*.example.org", "https", "example.org")).contains(PROXY);
    assertThat(via("*.example.org", "https", "a.example.org")).isEmpty();
    assertThat(via("registry.example.org:5000", "https", "registry.example.org:5000")).isEmpty();
    assertThat(via("registry.example.org:5000", "https", "registry.example.org")).contains(PROXY);
    assertThat(via("example.org:443", "https", "registry.example.org")).as("the scheme's default port").isEmpty();
    assertThat(via("10.0.0.0/8", "https", "10.1.2.3:5000")).isEmpty();
    assertThat(via("10.0.0.0/8", "https", "11.1.2.3")).contains(PROXY);
    assertThat(via("127.0.0.1", "https", "127.0.0.1:5000")).isEmpty();
    assertThat(via("127.0.0.1:5001", "https", "127.0.0.1:5000")).contains(PROXY);
    assertThat(via("::1", "https", "[::1]:5000")).isEmpty();
    assertThat(via(" other.org , EXAMPLE.ORG ", "https", "Registry.Example.org")).isEmpty();
  }

  @Test
  void eachSchemeHasItsVariableUpperCaseFirst() {
    RegistryProxies onlyHttps = RegistryProxies.fromEnvironment(Map.of("https_proxy", "proxy.example:3128"));
    assertThat(onlyHttps.proxyFor("https", "r.example")).contains(PROXY);
    assertThat(onlyHttps.proxyFor("http", "r.example")).isEmpty();
    RegistryProxies both = RegistryProxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://upper:1", "https_proxy", "http://lower:2"));
    assertThat(both.proxyFor("https", "r.example")).contains(URI.create("http://upper:1"));
    assertThat(RegistryProxies.fromEnvironment(Map.of()).proxyFor("https", "r.example")).isEmpty();
  }

  @Test
  void aProxyUrlBerthCannotUseIsRefusedWithItsVariable() {
    assertThatThrownBy(() -> RegistryProxies.fromEnvironment(Map.of("HTTPS_PROXY", "socks5://p:1080")))
        .hasMessage("HTTPS_PROXY: socks5 proxies are not supported (http://HOST:PORT)");
    assertThatThrownBy(() -> RegistryProxies.fromEnvironment(Map.of("HTTP_PROXY", "http://user:pw@p:3128")))
        .hasMessage("HTTP_PROXY: proxies that need credentials are not supported yet")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> RegistryProxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://")))
        .hasMessageStartingWith("HTTPS_PROXY: 'http://' is not a proxy URL");
  }
}
