package dev.berth.sbom;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** A Python distribution a pip step installed, from its {@code .dist-info/METADATA}; path is the dist-info directory. */
public record PythonDistribution(
    @JsonProperty("name") String name,
    @JsonProperty("version") String version,
    @JsonProperty("path") String path) {

  /** PEP 503's normalized name: what pip compares ({@code Foo_Bar} = {@code foo-bar}). */
  public static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }

  public String purl() {
    return "pkg:pypi/" + normalize(name) + "@" + PackageUrls.encode(version);
  }

  /** Name and Version of a METADATA file (the header before the first blank line), or null when it has neither. */
  static PythonDistribution fromMetadata(String metadata, String distInfoPath) {
    String name = null;
    String version = null;
    for (String line : metadata.split("\n")) {
      if (line.isBlank()) {
        break;
      }
      if (line.startsWith("Name:")) {
        name = line.substring(5).trim();
      } else if (line.startsWith("Version:")) {
        version = line.substring(8).trim();
      }
    }
    return name == null || version == null ? null : new PythonDistribution(name, version, distInfoPath);
  }
}
