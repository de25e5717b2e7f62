package dev.berth.sbom;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/** A package dpkg lists as installed: name, version, architecture and the source package it was built from. */
public record DpkgPackage(
    @JsonProperty("name") String name,
    @JsonProperty("version") String version,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("source") String source) {

  public DpkgPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }

  /** The package URL (purl) of a Debian package. */
  public String purl() {
    return "pkg:deb/debian/" + name + "@" + PackageUrls.encode(version)
        + (architecture == null ? "" : "?arch=" + architecture)
        + (source.equals(name) ? "" : (architecture == null ? "?" : "&") + "upstream=" + PackageUrls.encode(source));
  }
}
