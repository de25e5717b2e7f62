package dev.berth.sbom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * A package as an SBOM document lists it, whatever its format: name, version, package URL, and where
 * it came from in the image ("layer 3 (berth apt ["jq"])", or "base debian:bookworm").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SbomPackage(
    @JsonProperty("name") String name,
    @JsonProperty("version") String version,
    @JsonProperty("purl") String purl,
    @JsonProperty("origin") String origin) {

  public SbomPackage {
    Objects.requireNonNull(name, "name");
  }

  /** Whether this package is {@code name} (a dpkg name, or a pip name compared as pip does), at {@code version} if given. */
  public boolean matches(String wantedName, String wantedVersion) {
    boolean nameMatches = name.equals(wantedName)
        || (purl != null && purl.startsWith("pkg:pypi/")
            && PythonDistribution.normalize(name).equals(PythonDistribution.normalize(wantedName)));
    return nameMatches && (wantedVersion == null || wantedVersion.equals(version));
  }
}
