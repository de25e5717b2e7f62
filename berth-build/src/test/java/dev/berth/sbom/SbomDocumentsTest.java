package dev.berth.sbom;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import dev.berth.testing.JsonSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SbomDocumentsTest {
  static final Digest BASE = Digest.sha256("base".getBytes(StandardCharsets.UTF_8));
  static final Digest IMAGE = Digest.sha256("image".getBytes(StandardCharsets.UTF_8));

  static ImageSbom sample(List<SbomPackage> carried) {
    return new ImageSbom("tools/jq", Digest.sha256("key".getBytes(StandardCharsets.UTF_8)).toString(), IMAGE,
        "2024-01-01T00:00:00Z", new ImageSbom.Base("test/debian:bookworm", BASE, carried),
        List.of(new ImageSbom.AddedLayer(1, "berth apt [\"jq\"]",
            List.of(new DpkgPackage("jq", "1.6-2.1", "amd64", "jq"), new DpkgPackage("libjq1", "1.6-2.1", "amd64", "jq")),
            List.of(new PythonDistribution("Flask_Login", "0.6.3", "/usr/lib/python3/dist-packages/Flask_Login-0.6.3.dist-info")))),
        List.of(new ImageSbom.CopiedFile("files/app.conf", Digest.sha256("conf".getBytes(StandardCharsets.UTF_8)), 2)));
  }

  @Test
  void spdxIsValidUnderTheOfficialSchemaAndKeepsBaseAndImagePackagesApart() {
    ImageSbom sbom = sample(List.of(new SbomPackage("libc6", "2.36-9", "pkg:deb/debian/libc6@2.36-9", "base x")));
    JsonNode doc = Json.tree(SbomFormat.SPDX.write(sbom));
    assertThat(JsonSchemas.spdx23(doc)).isEmpty();
    assertThat(containedBy(doc, SpdxDocument.IMAGE_ID)).containsExactlyInAnyOrder("jq", "libjq1", "Flask_Login",
        "./files/app.conf");
    assertThat(containedBy(doc, SpdxDocument.BASE_ID)).containsExactly("libc6");
    assertThat(SbomFormat.packages(Json.canonical(doc), SbomFormat.SPDX.mediaType(), "x"))
        .extracting(SbomPackage::name).containsExactlyInAnyOrder("libc6", "jq", "libjq1", "Flask_Login");
    assertThat(SbomFormat.SPDX.write(sbom)).isEqualTo(SbomFormat.SPDX.write(sbom));
  }

  @Test
  void cycloneDxIsValidUnderTheOfficialSchema() {
    ImageSbom sbom = sample(List.of(new SbomPackage("libc6", "2.36-9", null, null)));
    JsonNode doc = Json.tree(SbomFormat.CYCLONEDX.write(sbom));
    assertThat(JsonSchemas.cycloneDx15(doc)).isEmpty();
    List<SbomPackage> packages = SbomFormat.packages(Json.canonical(doc), SbomFormat.CYCLONEDX.mediaType(), "x");
    assertThat(packages).extracting(SbomPackage::name).containsExactlyInAnyOrder("libc6", "jq", "libjq1", "Flask_Login");
    assertThat(packages.stream().filter(p -> p.name().equals("jq")).findFirst().orElseThrow().origin())
        .isEqualTo("layer 2 (berth apt [\"jq\"])");
  }

  @Test
  void pipNamesMatchAsPipComparesThem() {
    SbomPackage flask = new SbomPackage("Flask_Login", "0.6.3", "pkg:pypi/flask-login@0.6.3", null);
    assertThat(flask.matches("flask-login", null)).isTrue();
    assertThat(flask.matches("flask.login", "0.6.3")).isTrue();
    assertThat(flask.matches("flask-login", "0.6.2")).isFalse();
    assertThat(new SbomPackage("jq", "1", "pkg:deb/debian/jq@1", null).matches("JQ", null)).isFalse();
  }

  @Test
  void aDocumentOfAnotherKindIsRefused() {
    assertThatThrownBy(() -> SbomFormat.packages("{\"a\":1}".getBytes(StandardCharsets.UTF_8),
        SbomFormat.SPDX.mediaType(), "reg/x: SBOM"))
        .isInstanceOf(InvalidContentException.class).hasMessage("reg/x: SBOM: not an SPDX 2 JSON document (no spdxVersion SPDX-2.x)");
    assertThatThrownBy(() -> SbomFormat.packages(new byte[0], "text/plain", "reg/x: SBOM"))
        .hasMessageContaining("media type text/plain is not an SBOM");
  }

  private static List<String> containedBy(JsonNode doc, String id) {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    doc.path("packages").forEach(p -> names.put(p.path("SPDXID").asText(), p.path("name").asText()));
    doc.path("files").forEach(f -> names.put(f.path("SPDXID").asText(), f.path("fileName").asText()));
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode relationship : doc.path("relationships")) {
      if (relationship.path("spdxElementId").asText().equals(id)
          && relationship.path("relationshipType").asText().equals("CONTAINS")) {
        out.add(names.get(relationship.path("relatedSpdxElement").asText()));
      }
    }
    return out;
  }
}
