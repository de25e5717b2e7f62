package dev.berth.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * CycloneDX 1.5 JSON for an {@link ImageSbom}: the image is the metadata component; the base, the
 * packages and the copied files are components, each with a {@code berth:origin} property saying
 * where it came from ("layer 3 (…)", "base NAME", "step 2"). The image depends on what its layers
 * added and on the base; the base on the packages of its own SBOM.
 */
final class CycloneDxDocument {
  static final String ORIGIN = "berth:origin";

  private CycloneDxDocument() {}

  static byte[] write(ImageSbom sbom) {
    ObjectNode doc = Json.mapper().createObjectNode();
    doc.put("bomFormat", "CycloneDX");
    doc.put("specVersion", "1.5");
    doc.put("version", 1);
    doc.put("serialNumber", "urn:uuid:" + UUID.nameUUIDFromBytes(
        ("berth " + sbom.name() + " " + sbom.manifest()).getBytes(StandardCharsets.UTF_8)));
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("timestamp", sbom.created());
    ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
    tool.put("type", "application");
    tool.put("name", "berth");
    ObjectNode image = metadata.putObject("component");
    container(image, "image", sbom.name(), sbom.manifest());
    image.put("version", sbom.key());
    ArrayNode components = doc.putArray("components");
    ArrayNode imageDepends = Json.mapper().createArrayNode();
    ArrayNode baseDepends = Json.mapper().createArrayNode();
    boolean hasBase = sbom.base().manifest() != null;
    if (hasBase) {
      ObjectNode base = components.addObject();
      container(base, "base", sbom.base().reference(), sbom.base().manifest());
      property(base, "the base image");
      imageDepends.add("base");
    }
    int next = 1;
    for (SbomPackage carried : sbom.base().packages()) {
      String ref = "package-" + next++;
      library(components, ref, carried.name(), carried.version(), carried.purl(), carried.origin());
      (hasBase ? baseDepends : imageDepends).add(ref);
    }
    for (ImageSbom.AddedLayer layer : sbom.layers()) {
      for (DpkgPackage pkg : layer.dpkg()) {
        String ref = "package-" + next++;
        library(components, ref, pkg.name(), pkg.version(), pkg.purl(), layer.describe());
        imageDepends.add(ref);
      }
      for (PythonDistribution dist : layer.python()) {
        String ref = "package-" + next++;
        library(components, ref, dist.name(), dist.version(), dist.purl(), layer.describe());
        imageDepends.add(ref);
      }
    }
    int fileNumber = 1;
    for (ImageSbom.CopiedFile file : sbom.files()) {
      ObjectNode node = components.addObject();
      node.put("type", "file");
      node.put("bom-ref", "file-" + fileNumber++);
      node.put("name", file.path());
      hash(node, file.digest());
      property(node, "copied by step " + file.step());
    }
    ArrayNode dependencies = doc.putArray("dependencies");
    ObjectNode imageDependency = dependencies.addObject();
    imageDependency.put("ref", "image");
    imageDependency.set("dependsOn", imageDepends);
    if (hasBase) {
      ObjectNode baseDependency = dependencies.addObject();
      baseDependency.put("ref", "base");
      baseDependency.set("dependsOn", baseDepends);
    }
    return Json.canonical(doc);
  }

  private static void container(ObjectNode node, String ref, String name, Digest manifest) {
    node.put("type", "container");
    node.put("bom-ref", ref);
    node.put("name", name);
    hash(node, manifest);
  }

  private static void library(ArrayNode components, String ref, String name, String version, String purl,
      String origin) {
    ObjectNode node = components.addObject();
    node.put("type", "library");
    node.put("bom-ref", ref);
    node.put("name", name);
    if (version != null) {
      node.put("version", version);
    }
    if (purl != null) {
      node.put("purl", purl);
    }
    if (origin != null) {
      property(node, origin);
    }
  }

  private static void hash(ObjectNode node, Digest digest) {
    ObjectNode hash = node.putArray("hashes").addObject();
    hash.put("alg", digest.algorithm().equals("sha256") ? "SHA-256" : "SHA-512");
    hash.put("content", digest.hex());
  }

  private static void property(ObjectNode node, String origin) {
    ObjectNode property = node.putArray("properties").addObject();
    property.put("name", ORIGIN);
    property.put("value", origin);
  }

  /** The library components of any CycloneDX JSON document; origin from berth's property. */
  static List<SbomPackage> read(byte[] json, String where) {
    JsonNode doc = Json.tree(json);
    if (!"CycloneDX".equals(doc.path("bomFormat").asText())) {
      throw new InvalidContentException(where + ": not a CycloneDX JSON document (no bomFormat CycloneDX)");
    }
    List<SbomPackage> out = new ArrayList<>();
    for (JsonNode component : doc.path("components")) {
      String type = component.path("type").asText();
      if (type.equals("container") || type.equals("file")) {
        continue;
      }
      String origin = null;
      for (JsonNode property : component.path("properties")) {
        if (ORIGIN.equals(property.path("name").asText())) {
          origin = property.path("value").asText();
        }
      }
      out.add(new SbomPackage(component.path("name").asText(),
          component.hasNonNull("version") ? component.get("version").asText() : null,
          component.hasNonNull("purl") ? component.get("purl").asText() : null, origin));
    }
    return out;
  }
}
