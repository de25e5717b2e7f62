package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.testing.JsonSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real pip step: pip (Debian's python3-pip, installed by an apt step) installs a wheel from a
 * PEP 503 simple index served on loopback, and the image's SBOM lists the distribution with its
 * version and its {@code pkg:pypi} purl. PyPI is not reachable here, so the wheel is written by the
 * test as the wheel format (PEP 427) lays it out; Python inside the image is the oracle for what pip
 * installed, and the document is checked against the official SPDX 2.3 schema.
 */
@Tag("integration")
@Tag("runc")
class PipSbomIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void aPipStepsDistributionIsInTheSbomWithItsVersionAndPurl() throws Exception {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("demo_pkg/__init__.py", "VERSION = \"1.2.3\"\n".getBytes(StandardCharsets.UTF_8));
    files.put("demo_pkg-1.2.3.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: Demo_Pkg\nVersion: 1.2.3\nSummary: a wheel of berth's tests\n\n"
            .getBytes(StandardCharsets.UTF_8));
    files.put("demo_pkg-1.2.3.dist-info/WHEEL",
        "Wheel-Version: 1.0\nGenerator: berth-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
            .getBytes(StandardCharsets.UTF_8));
    byte[] wheel = wheel(files);
    String wheelName = "demo_pkg-1.2.3-py3-none-any.whl";
    HttpServer index = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    index.createContext("/", exchange -> serve(exchange, requests, wheelName, wheel));
    index.start();
    try {
      Berth berth = new Berth(work.resolve("store"));
      String debian = Berth.tool(REPO, REPO.resolve("scripts/make-debian-base").toString()).strip();
      berth.run("import", debian, "--as", "test/debian:bookworm").succeeded();
      Path tree = Files.createDirectories(work.resolve("tree"));
      SbomIT.image(tree, "py", "base: test/debian:bookworm\nsteps:\n  - apt: [python3-pip]\n"
          + "  - env: {PIP_INDEX_URL: \"http://127.0.0.1:" + index.getAddress().getPort() + "/simple/\"}\n"
          + "  - pip: [\"Demo_Pkg==1.2.3\"]\n"
          + "verify:\n  - python3 -c \"import importlib.metadata as m, demo_pkg; "
          + "assert m.version('demo-pkg') == demo_pkg.VERSION == '1.2.3'\"\n");
      String key = SbomIT.keys(berth.run("build", tree.toString(), "--output", "json").succeeded()).get("py");
      assertThat(requests).contains("/simple/demo-pkg/", "/packages/" + wheelName);

      JsonNode spdx = Json.tree(berth.run("sbom", "py:" + key).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
      assertThat(JsonSchemas.spdx23(spdx)).isEmpty();
      assertThat(SbomIT.containedBy(spdx, "SPDXRef-Image")).containsEntry("Demo_Pkg", "1.2.3")
          .containsKey("python3-pip");
      List<String> purls = new ArrayList<>();
      spdx.path("packages").forEach(p -> p.path("externalRefs").forEach(r -> purls.add(r.path("referenceLocator").asText())));
      assertThat(purls).contains("pkg:pypi/demo-pkg@1.2.3");

      for (String selector : List.of("demo-pkg", "demo_pkg@1.2.3", "DEMO.PKG@<1.10")) {
        assertThat(berth.run("affected", tree.toString(), "--package", selector).succeeded().stdout())
            .as(selector).contains("Demo_Pkg 1.2.3 in layer");
      }
      assertThat(berth.run("affected", tree.toString(), "--package", "demo-pkg@<1.2.3rc1").succeeded().stdout()).isEmpty();
    } finally {
      index.stop(0);
    }
  }

  /** The simple index (PEP 503) of one project, and its wheel. */
  private static void serve(HttpExchange exchange, List<String> requests, String wheelName, byte[] wheel)
      throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(path);
    byte[] body;
    String type;
    if (path.equals("/simple/demo-pkg/")) {
      type = "text/html";
      body = ("<!DOCTYPE html><html><body><a href=\"/packages/" + wheelName + "#sha256=" + Digest.sha256(wheel).hex()
          + "\">" + wheelName + "</a></body></html>").getBytes(StandardCharsets.UTF_8);
    } else if (path.equals("/packages/" + wheelName)) {
      type = "application/octet-stream";
      body = wheel;
    } else {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(200, body.length);
    try (exchange) {
      exchange.getResponseBody().write(body);
    }
  }

  /** A wheel (PEP 427): the files, then a RECORD of each with its urlsafe-base64 sha256 and size. */
  private static byte[] wheel(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringBuilder record = new StringBuilder();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeEntry();
        byte[] sha256 = java.security.MessageDigest.getInstance("SHA-256").digest(file.getValue());
        record.append(file.getKey()).append(",sha256=")
            .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256)).append(',')
            .append(file.getValue().length).append('\n');
      }
      String recordPath = "demo_pkg-1.2.3.dist-info/RECORD";
      record.append(recordPath).append(",,\n");
      zip.putNextEntry(new ZipEntry(recordPath));
      zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }
}
