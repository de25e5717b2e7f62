package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The SBOM of an image built by Docker's builder is read from its layers, as the native builder's is. */
@Tag("integration")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerBuilderSbomIT {
  @TempDir Path work;

  @Test
  void bothBuildersListTheDpkgPackagesAndPythonDistributionsTheirLayersWrite() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Path folder = Files.createDirectories(tree.resolve("pkgs"));
    Files.writeString(folder.resolve("status"), """
        Package: tool
        Status: install ok installed
        Architecture: amd64
        Source: toolsrc
        Version: 2.1-3

        Package: gone
        Status: deinstall ok config-files
        Version: 1
        """);
    Path distInfo = Files.createDirectories(folder.resolve("site/Flask_Login-0.6.3.dist-info"));
    Files.writeString(distInfo.resolve("METADATA"), "Metadata-Version: 2.1\nName: Flask-Login\nVersion: 0.6.3\n\nbody\n");
    Files.writeString(folder.resolve("image.yaml"), """
        base: test/busybox:1
        copy:
          - {src: status, dest: /var/lib/dpkg/status}
          - {src: site/, dest: /usr/lib/python3/dist-packages}
        """);
    for (String builder : new String[] {"native", "docker"}) {
      Berth berth = new Berth(work.resolve("store-" + builder), Map.of("DOCKER_HOST", "unix:///var/run/docker.sock"));
      String busybox = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
      berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
      String key = Json.tree(berth.run("build", tree.toString(), "--builder", builder, "--output", "json").succeeded()
          .stdout().getBytes(StandardCharsets.UTF_8)).path("images").get(0).path("key").asText();
      JsonNode spdx = Json.tree(berth.run("sbom", "pkgs:" + key).succeeded().stdout().getBytes(StandardCharsets.UTF_8));
      Map<String, String> packages = new TreeMap<>();
      spdx.path("packages").forEach(p -> {
        if (!p.path("primaryPackagePurpose").asText().equals("CONTAINER")) {
          packages.put(p.path("name").asText(), p.path("versionInfo").asText() + " " + p.path("sourceInfo").asText(""));
        }
      });
      assertThat(packages).as(builder).containsOnlyKeys("tool", "Flask-Login");
      assertThat(packages.get("tool")).as(builder).isEqualTo("2.1-3 built from source package toolsrc");
      assertThat(packages.get("Flask-Login")).as(builder).startsWith("0.6.3");
      JsonNode provenance = Json.tree(berth.run("provenance", "pkgs:" + key).succeeded().stdout()
          .getBytes(StandardCharsets.UTF_8));
      assertThat(provenance.path("predicate").path("buildDefinition").path("internalParameters").path("builder")
          .asText()).isEqualTo(builder);
    }
  }
}
