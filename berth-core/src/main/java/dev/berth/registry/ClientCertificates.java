package dev.berth.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

/**
 * Client certificates for mutual TLS, as docker finds them in a registry's {@code certs.d/HOST:PORT/}
 * directory (and skopeo in {@code --cert-dir}): each {@code NAME.cert} with its key {@code NAME.key}
 * (PEM, PKCS#8: what {@code openssl genrsa}/{@code genpkey} write). A certificate without its key, or
 * a key without its certificate, is refused as docker refuses it.
 */
record ClientCertificates(List<Pair> pairs) {
  /** One certificate chain and its private key. */
  record Pair(Path certificate, List<Certificate> chain, PrivateKey key) {}

  static final ClientCertificates NONE = new ClientCertificates(List.of());

  /** The pairs of every directory that exists. */
  static ClientCertificates in(List<Path> directories) throws IOException {
    List<Pair> pairs = new ArrayList<>();
    for (Path directory : directories) {
      if (!Files.isDirectory(directory)) {
        continue;
      }
      List<Path> files;
      try (Stream<Path> listed = Files.list(directory)) {
        files = listed.sorted().toList();
      }
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.endsWith(".cert")) {
          Path key = file.resolveSibling(name.substring(0, name.length() - ".cert".length()) + ".key");
          if (!Files.isRegularFile(key)) {
            throw new IOException("client certificate " + file + " has no key " + key.getFileName());
          }
          pairs.add(new Pair(file, certificates(file), privateKey(key)));
        } else if (name.endsWith(".key")) {
          Path certificate = file.resolveSibling(name.substring(0, name.length() - ".key".length()) + ".cert");
          if (!Files.isRegularFile(certificate)) {
            throw new IOException("client key " + file + " has no certificate " + certificate.getFileName());
          }
        }
      }
    }
    return pairs.isEmpty() ? NONE : new ClientCertificates(List.copyOf(pairs));
  }

  /** The key managers offering these certificates; null (the JDK's default: none) when there are none. */
  KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
    if (pairs.isEmpty()) {
      return null;
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    for (int i = 0; i < pairs.size(); i++) {
      Pair pair = pairs.get(i);
      store.setKeyEntry("client-" + i, pair.key(), password, pair.chain().toArray(Certificate[]::new));
    }
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

  private static List<Certificate> certificates(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> chain = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (chain.isEmpty()) {
        throw new IOException("client certificate " + file + " holds no certificate");
      }
      return chain;
    } catch (java.security.cert.CertificateException e) {
      throw new IOException("cannot read client certificate " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int start = pem.indexOf(begin);
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (start < 0 || end < start) {
      throw new IOException("client key " + file + " is not a PEM PKCS#8 private key (BEGIN PRIVATE KEY); "
          + "convert it with openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IOException("client key " + file + " is not valid base64");
    }
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next
      }
    }
    throw new IOException("client key " + file + " is neither an RSA, EC nor Ed25519 key");
  }
}
