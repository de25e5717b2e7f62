package dev.berth.engine.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates and private keys in PEM files, read with the JDK alone: {@code PRIVATE KEY} (PKCS#8,
 * RSA or EC), {@code RSA PRIVATE KEY} (PKCS#1) and {@code EC PRIVATE KEY} (SEC 1), the forms openssl
 * and dockerd's documentation produce. The last two are wrapped into PKCS#8 here.
 */
final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final byte[] RSA_ALGORITHM = der(0x30, concat(der(0x06, bytes(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
      0x01, 0x01, 0x01)), der(0x05, new byte[0])));
  private static final byte[] EC_PUBLIC_KEY_OID = der(0x06, bytes(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01));

  private PemFiles() {}

  static List<X509Certificate> certificates(Path file) throws IOException {
    byte[] content = read(file);
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var certificate : CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(content))) {
        out.add((X509Certificate) certificate);
      }
      if (out.isEmpty()) {
        throw new IOException(file + " holds no certificate");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " is not a PEM certificate file", e);
    }
  }

  static PrivateKey privateKey(Path file) throws IOException {
    Matcher block = BLOCK.matcher(new String(read(file), StandardCharsets.US_ASCII));
    while (block.find()) {
      String type = block.group(1);
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(file, der);
        case "RSA PRIVATE KEY":
          return pkcs8(file, der(0x30, concat(der(0x02, new byte[] {0}), RSA_ALGORITHM, der(0x04, der))));
        case "EC PRIVATE KEY":
          return pkcs8(file, der(0x30, concat(der(0x02, new byte[] {0}),
              der(0x30, concat(EC_PUBLIC_KEY_OID, curveOf(file, der))), der(0x04, der))));
        case "ENCRYPTED PRIVATE KEY":
          throw new IOException(file + " holds an encrypted key; berth needs it unencrypted, as dockerd does");
        default:
          // another block (EC PARAMETERS, a certificate): look further
      }
    }
    throw new IOException(file + " holds no PEM private key");
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisAlgorithm) {
        // try the next one
      }
    }
    throw new IOException(file + " holds a private key that is neither RSA nor EC");
  }

  /** The named curve's OID (with its tag) in a SEC 1 ECPrivateKey: its {@code [0]} parameters. */
  private static byte[] curveOf(Path file, byte[] sec1) throws IOException {
    Der outer = Der.at(sec1, 0);
    int position = outer.contentStart();
    while (position < outer.end()) {
      Der element = Der.at(sec1, position);
      if ((sec1[position] & 0xff) == 0xa0) {
        Der oid = Der.at(sec1, element.contentStart());
        return java.util.Arrays.copyOfRange(sec1, element.contentStart(), oid.end());
      }
      position = element.end();
    }
    throw new IOException(file + ": the EC key does not name its curve");
  }

  /** One DER element: where its content starts and where it ends. */
  private record Der(int contentStart, int end) {
    static Der at(byte[] data, int offset) throws IOException {
      if (offset + 2 > data.length) {
        throw new IOException("truncated DER");
      }
      int length = data[offset + 1] & 0xff;
      int start = offset + 2;
      if (length > 0x80) {
        int count = length & 0x7f;
        length = 0;
        for (int i = 0; i < count; i++) {
          length = length << 8 | data[start + i] & 0xff;
        }
        start += count;
      }
      if (start + length > data.length) {
        throw new IOException("truncated DER");
      }
      return new Der(start, start + length);
    }
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int count = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
      out.write(0x80 | count);
      for (int i = count - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static byte[] read(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IOException(file + " does not exist");
    }
  }
}
