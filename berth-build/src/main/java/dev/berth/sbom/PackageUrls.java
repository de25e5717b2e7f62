package dev.berth.sbom;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding of package URL parts (a Debian version may hold {@code :} and {@code +}). */
final class PackageUrls {
  private PackageUrls() {}

  static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%2B").replace("%7E", "~");
  }
}
