package dev.berth.engine.docker;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client's side of mutual TLS with a Docker engine, from a {@code DOCKER_CERT_PATH}-style directory:
 * {@code ca.pem} (the CA the engine's certificate must chain to), {@code cert.pem} and {@code key.pem}
 * (berth's identity). Read once; the context verifies the engine's certificate and host name.
 */
public record EngineTls(Path directory, SSLContext context) {
  public static EngineTls load(Path directory) throws IOException {
    List<X509Certificate> authorities = PemFiles.certificates(directory.resolve("ca.pem"));
    List<X509Certificate> chain = PemFiles.certificates(directory.resolve("cert.pem"));
    PrivateKey key = PemFiles.privateKey(directory.resolve("key.pem"));
    try {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      char[] password = new char[0];
      identity.setKeyEntry("client", key, password, chain.toArray(X509Certificate[]::new));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(identity, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return new EngineTls(directory, context);
    } catch (GeneralSecurityException e) {
      throw new IOException(directory + ": cert.pem and key.pem do not make a TLS identity ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** Why a handshake failed, in the user's terms: the cause's type says which side refused. */
  static String explain(Throwable failure, EngineTls tls) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
        return "the engine's certificate is not signed by " + (tls == null ? "a trusted CA"
            : tls.directory().resolve("ca.pem"));
      }
      if (cause instanceof CertificateException && !(cause.getCause() instanceof CertPathValidatorException)
          && cause.getCause() == null) {
        return "the engine's certificate does not match its address";
      }
    }
    return "the engine refused berth's certificate or speaks no TLS (" + failure.getClass().getSimpleName() + ")";
  }
}
