package dev.berth.sbom;

import java.util.List;

/** The SBOM formats berth writes ({@code --sbom spdx|cyclonedx}), each with its media type. */
public enum SbomFormat {
  SPDX("application/spdx+json"),
  CYCLONEDX("application/vnd.cyclonedx+json");

  private final String mediaType;

  SbomFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  /** The media type of the document, which is also the artifact type of its OCI artifact. */
  public String mediaType() {
    return mediaType;
  }

  public byte[] write(ImageSbom sbom) {
    return this == SPDX ? SpdxDocument.write(sbom) : CycloneDxDocument.write(sbom);
  }

  /** Whether {@code mediaType} (an artifact type) is an SBOM berth reads. */
  public static boolean isSbom(String mediaType) {
    return SPDX.mediaType.equals(mediaType) || CYCLONEDX.mediaType.equals(mediaType);
  }

  /** The files an SBOM document lists, path → digest ({@code sha256:…}). */
  public static java.util.SortedMap<String, String> files(byte[] document, String mediaType, String where) {
    packages(document, mediaType, where);  // refuses what is not an SBOM
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    com.fasterxml.jackson.databind.JsonNode doc = dev.berth.oci.Json.tree(document);
    if (SPDX.mediaType.equals(mediaType)) {
      for (com.fasterxml.jackson.databind.JsonNode file : doc.path("files")) {
        for (com.fasterxml.jackson.databind.JsonNode sum : file.path("checksums")) {
          if (sum.path("algorithm").asText().equals("SHA256")) {
            out.put(file.path("fileName").asText().replaceFirst("^\\./", ""), "sha256:" + sum.path("checksumValue").asText());
          }
        }
      }
    } else {
      for (com.fasterxml.jackson.databind.JsonNode component : doc.path("components")) {
        if (component.path("type").asText().equals("file")) {
          for (com.fasterxml.jackson.databind.JsonNode hash : component.path("hashes")) {
            if (hash.path("alg").asText().equals("SHA-256")) {
              out.put(component.path("name").asText(), "sha256:" + hash.path("content").asText());
            }
          }
        }
      }
    }
    return out;
  }

  /** The packages of an SBOM document of {@code mediaType}; {@code where} names it in errors. */
  public static List<SbomPackage> packages(byte[] document, String mediaType, String where) {
    if (SPDX.mediaType.equals(mediaType)) {
      return SpdxDocument.read(document, where);
    }
    if (CYCLONEDX.mediaType.equals(mediaType)) {
      return CycloneDxDocument.read(document, where);
    }
    throw new dev.berth.oci.InvalidContentException(where + ": media type " + mediaType + " is not an SBOM ("
        + SPDX.mediaType + " or " + CYCLONEDX.mediaType + ")");
  }
}
