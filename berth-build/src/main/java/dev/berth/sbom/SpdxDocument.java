package dev.berth.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * SPDX 2.3 JSON for an {@link ImageSbom}. The image is the described package; the packages its own
 * layers added are related to it by CONTAINS (their comment names the layer); the base is its
 * ANCESTOR_OF, and the packages of the base's SBOM are CONTAINS of the base, never of the image.
 */
final class SpdxDocument {
  static final String IMAGE_ID = "SPDXRef-Image";
  static final String BASE_ID = "SPDXRef-Base";

  private SpdxDocument() {}

  static byte[] write(ImageSbom sbom) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("spdxVersion", "SPDX-2.3");
    doc.put("dataLicense", "CC0-1.0");
    doc.put("SPDXID", "SPDXRef-DOCUMENT");
    doc.put("name", sbom.name());
    doc.put("documentNamespace", "https://berth.dev/spdx/" + sbom.name() + "/" + sbom.manifest().hex());
    ObjectNode creation = doc.putObject("creationInfo");
    creation.put("created", sbom.created());
    creation.putArray("creators").add("Tool: berth");
    doc.putArray("documentDescribes").add(IMAGE_ID);
    ArrayNode packages = doc.putArray("packages");
    ArrayNode files = doc.putArray("files");
    ArrayNode relationships = doc.putArray("relationships");
    relationship(relationships, "SPDXRef-DOCUMENT", "DESCRIBES", IMAGE_ID);

    ObjectNode image = imagePackage(packages, IMAGE_ID, sbom.name(), sbom.manifest());
    image.put("versionInfo", sbom.key());
    image.put("comment", "content key " + sbom.key());
    if (sbom.base().manifest() != null) {
      ObjectNode base = imagePackage(packages, BASE_ID, sbom.base().reference(), sbom.base().manifest());
      base.put("comment", "the base image");
      relationship(relationships, BASE_ID, "ANCESTOR_OF", IMAGE_ID);
    }
    int next = 1;
    for (SbomPackage carried : sbom.base().packages()) {
      String id = "SPDXRef-Package-" + next++;
      addPackage(packages, id, carried.name(), carried.version(), carried.purl(), carried.origin(), null);
      relationship(relationships, sbom.base().manifest() == null ? IMAGE_ID : BASE_ID, "CONTAINS", id);
    }
    for (ImageSbom.AddedLayer layer : sbom.layers()) {
      for (DpkgPackage pkg : layer.dpkg()) {
        String id = "SPDXRef-Package-" + next++;
        addPackage(packages, id, pkg.name(), pkg.version(), pkg.purl(), layer.describe(), pkg.source());
        relationship(relationships, IMAGE_ID, "CONTAINS", id);
      }
      for (PythonDistribution dist : layer.python()) {
        String id = "SPDXRef-Package-" + next++;
        addPackage(packages, id, dist.name(), dist.version(), dist.purl(), layer.describe(), null);
        relationship(relationships, IMAGE_ID, "CONTAINS", id);
      }
    }
    int fileNumber = 1;
    for (ImageSbom.CopiedFile file : sbom.files()) {
      String id = "SPDXRef-File-" + fileNumber++;
      ObjectNode node = files.addObject();
      node.put("SPDXID", id);
      node.put("fileName", "./" + file.path());
      checksum(node, file.digest());
      node.put("comment", "copied by step " + file.step());
      relationship(relationships, IMAGE_ID, "CONTAINS", id);
    }
    return Json.canonical(doc);
  }

  private static ObjectNode imagePackage(ArrayNode packages, String id, String name, Digest manifest) {
    ObjectNode node = packages.addObject();
    node.put("SPDXID", id);
    node.put("name", name);
    node.put("downloadLocation", "NOASSERTION");
    node.put("filesAnalyzed", false);
    node.put("primaryPackagePurpose", "CONTAINER");
    checksum(node, manifest);
    purl(node, "pkg:oci/" + PackageUrls.encode(lastPart(name)) + "@" + PackageUrls.encode(manifest.toString()));
    return node;
  }

  private static void addPackage(ArrayNode packages, String id, String name, String version, String purl,
      String origin, String source) {
    ObjectNode node = packages.addObject();
    node.put("SPDXID", id);
    node.put("name", name);
    if (version != null) {
      node.put("versionInfo", version);
    }
    node.put("downloadLocation", "NOASSERTION");
    node.put("filesAnalyzed", false);
    if (source != null && !source.equals(name)) {
      node.put("sourceInfo", "built from source package " + source);
    }
    if (origin != null) {
      node.put("comment", origin);
    }
    if (purl != null) {
      purl(node, purl);
    }
  }

  private static void checksum(ObjectNode node, Digest digest) {
    ObjectNode sum = node.putArray("checksums").addObject();
    sum.put("algorithm", digest.algorithm().toUpperCase(java.util.Locale.ROOT));
    sum.put("checksumValue", digest.hex());
  }

  private static void purl(ObjectNode node, String purl) {
    ObjectNode ref = node.putArray("externalRefs").addObject();
    ref.put("referenceCategory", "PACKAGE-MANAGER");
    ref.put("referenceType", "purl");
    ref.put("referenceLocator", purl);
  }

  private static void relationship(ArrayNode relationships, String from, String type, String to) {
    ObjectNode node = relationships.addObject();
    node.put("spdxElementId", from);
    node.put("relationshipType", type);
    node.put("relatedSpdxElement", to);
  }

  private static String lastPart(String name) {
    String withoutTag = name.replaceFirst("[:@].*$", "");
    return withoutTag.substring(withoutTag.lastIndexOf('/') + 1);
  }

  /** The packages of any SPDX 2.x JSON document, except container images; origin from the package comment. */
  static List<SbomPackage> read(byte[] json, String where) {
    JsonNode doc = Json.tree(json);
    if (!doc.path("spdxVersion").asText("").startsWith("SPDX-2.")) {
      throw new InvalidContentException(where + ": not an SPDX 2 JSON document (no spdxVersion SPDX-2.x)");
    }
    List<SbomPackage> out = new ArrayList<>();
    for (JsonNode pkg : doc.path("packages")) {
      if ("CONTAINER".equals(pkg.path("primaryPackagePurpose").asText())) {
        continue;
      }
      String purl = null;
      for (JsonNode ref : pkg.path("externalRefs")) {
        if ("purl".equals(ref.path("referenceType").asText())) {
          purl = ref.path("referenceLocator").asText();
        }
      }
      out.add(new SbomPackage(pkg.path("name").asText(), text(pkg, "versionInfo"), purl, text(pkg, "comment")));
    }
    return out;
  }

  private static String text(JsonNode node, String field) {
    return node.hasNonNull(field) ? node.get(field).asText() : null;
  }
}
