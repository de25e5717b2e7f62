package dev.berth.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The CAs a registry's certificate may chain to: the JDK's defaults plus every {@code *.crt} of the
 * given directories (docker's {@code certs.d/HOST:PORT/ca.crt} convention, or {@code --cert-dir});
 * and the client certificates ({@code *.cert} with {@code *.key}) those directories hold.
 */
final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The directories docker and containers tools read per-registry CAs from, for {@code host}. */
  static List<Path> conventionalDirectories(List<Path> certsDRoots, String host) {
    List<Path> out = new ArrayList<>();
    for (Path root : certsDRoots) {
      out.add(root.resolve(host));
    }
    return out;
  }

  /**
   * The TLS context for a registry client. Nothing of the JDK's TLS stack is set up until a TLS
   * connection is made: a plain-HTTP loopback registry never pays for it. Give the HttpClient
   * explicit {@link javax.net.ssl.SSLParameters}, or it asks the context for its defaults at once.
   */
  static SSLContext sslContext(List<Path> directories) throws IOException {
    List<X509Certificate> extra = new ArrayList<>();
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        continue;
      }
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".crt")).sorted().toList()) {
          extra.addAll(read(file));
        }
      }
    }
    TrustManager[] trust = {new LazyTrustManager(extra)};
    ClientCertificates clients = ClientCertificates.in(directories);
    return new LazySslContext(() -> {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clients.keyManagers(), trust, null);
        return context;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
      }
    });
  }

  private static List<X509Certificate> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        out.add((X509Certificate) certificate);
      }
      return out;
    } catch (CertificateException e) {
      throw new IOException("cannot read CA certificate " + file + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(List<X509Certificate> extra) throws GeneralSecurityException, IOException {
    X509TrustManager defaults = defaultTrustManager(null);
    if (extra.isEmpty()) {
      return defaults;
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < extra.size(); i++) {
      store.setCertificateEntry("berth-extra-" + i, extra.get(i));
    }
    for (X509Certificate ca : defaults.getAcceptedIssuers()) {
      store.setCertificateEntry("jdk-" + ca.getSubjectX500Principal().getName() + "-" + ca.getSerialNumber(), ca);
    }
    return defaultTrustManager(store);
  }

  private static X509TrustManager defaultTrustManager(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager in the JDK");
  }

  /**
   * Builds the real trust manager on first use: reading the JDK's CA bundle costs a noticeable part
   * of a short command, and a plain-HTTP loopback registry never needs it.
   */
  private static final class LazyTrustManager implements X509TrustManager {
    private final List<X509Certificate> extra;
    private X509TrustManager delegate;

    LazyTrustManager(List<X509Certificate> extra) {
      this.extra = List.copyOf(extra);
    }

    private synchronized X509TrustManager delegate() throws java.security.cert.CertificateException {
      if (delegate == null) {
        try {
          delegate = trustManager(extra);
        } catch (GeneralSecurityException | IOException e) {
          throw new java.security.cert.CertificateException("cannot load trusted CAs: " + e.getMessage(), e);
        }
      }
      return delegate;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      delegate().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws java.security.cert.CertificateException {
      delegate().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      try {
        return delegate().getAcceptedIssuers();
      } catch (java.security.cert.CertificateException e) {
        return new X509Certificate[0];
      }
    }
  }
}
