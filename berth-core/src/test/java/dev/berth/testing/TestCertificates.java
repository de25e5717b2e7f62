package dev.berth.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Certificates made with openssl for tests: a CA and a server certificate it signs. */
public final class TestCertificates {
  private TestCertificates() {}

  /**
   * Writes {@code ca.crt}, {@code server.crt} and {@code server.key} for {@code ip} into
   * {@code directory} and returns a directory holding only {@code ca.crt} (docker's certs.d shape).
   */
  public static Path serverCertificate(Path directory, String ip) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    String dir = directory.toString();
    ExternalTools.runOrFail("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=berth test CA", "-keyout", dir + "/ca.key", "-out", dir + "/ca.crt",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    ExternalTools.runOrFail("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + ip,
        "-keyout", dir + "/server.key", "-out", dir + "/server.csr");
    Path extensions = directory.resolve("server.ext");
    Files.writeString(extensions, "subjectAltName=IP:" + ip + ",DNS:localhost\n"
        + "extendedKeyUsage=serverAuth\n");
    ExternalTools.runOrFail("openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.crt",
        "-CAkey", dir + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
        "-out", dir + "/server.crt");
    Path caOnly = directory.resolve("ca");
    Files.createDirectories(caOnly);
    Files.copy(directory.resolve("ca.crt"), caOnly.resolve("ca.crt"));
    return caOnly;
  }

  /**
   * Writes into {@code out} a client certificate ({@code client.cert}, {@code client.key}) signed by
   * the CA {@link #serverCertificate} made in {@code caDirectory}, and that CA's {@code ca.crt}.
   */
  public static void clientCertificate(Path caDirectory, Path out) throws IOException, InterruptedException {
    Files.createDirectories(out);
    String ca = caDirectory.toString();
    ExternalTools.runOrFail("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=berth test client",
        "-keyout", out.resolve("client.key").toString(), "-out", caDirectory.resolve("client.csr").toString());
    Path extensions = caDirectory.resolve("client.ext");
    Files.writeString(extensions, "extendedKeyUsage=clientAuth\n");
    ExternalTools.runOrFail("openssl", "x509", "-req", "-in", caDirectory.resolve("client.csr").toString(), "-CA",
        ca + "/ca.crt", "-CAkey", ca + "/ca.key", "-CAcreateserial", "-days", "2", "-extfile", extensions.toString(),
        "-out", out.resolve("client.cert").toString());
    Files.copy(caDirectory.resolve("ca.crt"), out.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** A self-signed RSA key pair for signing tokens: {@code token.key} (PKCS#8) and {@code token.crt}. */
  public static void signingKey(Path directory, String commonName) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    String dir = directory.toString();
    ExternalTools.runOrFail("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=" + commonName, "-keyout", dir + "/token.key", "-out", dir + "/token.crt");
  }
}
