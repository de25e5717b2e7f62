package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SAM-style layered images: tag from contents, no-op when unchanged, rebuild on a changed file. */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
@Tag("runc")
class LayeredIT {
  @TempDir Path work;
  Berth berth;
  Path layerDir;
  Path layerZip;

  @BeforeEach
  void baseAndLayers() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "lambda.example/runtimes/python:3.12-x86_64").succeeded();
    layerDir = Files.createDirectories(work.resolve("common/python/lib"));
    Files.writeString(layerDir.resolve("util.py"), "X = 1\n");
    layerZip = work.resolve("deps.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(layerZip))) {
      zip.putNextEntry(new ZipEntry("nodejs/node_modules/left-pad/index.js"));
      zip.write("module.exports = 1;\n".getBytes());
      zip.closeEntry();
    }
  }

  private Berth.Result layered(Path first) throws Exception {
    return berth.run("layered", "--runtime", "python3.12", "--arch", "x86_64", "--registry-prefix",
        "lambda.example/runtimes", "--layer", first.toString(), "--layer", layerZip.toString(),
        "--add", "/bin/busybox:/var/rapid/aws-lambda-rie", "--pull=never");
  }

  @Test
  void unchangedLayersAreANoOpAndAChangedFileRebuilds() throws Exception {
    Path layer = work.resolve("common");
    Berth.Result first = layered(layer).succeeded();
    String reference = first.stdout().strip();
    assertThat(reference).matches("berth-lambda/python:3.12-x86_64-[0-9a-f]{24}");
    assertThat(first.stderr()).startsWith("built ");

    Files.setLastModifiedTime(layerDir.resolve("util.py"), java.nio.file.attribute.FileTime.fromMillis(0));
    Berth.Result again = layered(layer).succeeded();
    assertThat(again.stdout().strip()).isEqualTo(reference);
    assertThat(again.stderr().strip()).isEqualTo("unchanged");

    Path renamed = work.resolve("renamed-common");
    Files.move(layer, renamed);
    assertThat(layered(renamed).succeeded().stdout().strip()).as("names do not count, contents do").isEqualTo(reference);

    Files.writeString(renamed.resolve("python/lib/util.py"), "X = 2\n");
    Berth.Result changed = layered(renamed).succeeded();
    assertThat(changed.stdout().strip()).isNotEqualTo(reference);
    assertThat(changed.stderr()).startsWith("built ");

    Path layout = work.resolve("layout");
    Berth.tool(work, "skopeo", "copy", "oci:" + work.resolve("store") + ":" + changed.stdout().strip(), "oci:" + layout + ":x");
    Path bundle = work.resolve("bundle");
    Berth.tool(work, "umoci", "unpack", "--image", layout + ":x", bundle.toString());
    assertThat(bundle.resolve("rootfs/opt/python/lib/util.py")).hasContent("X = 2");
    assertThat(bundle.resolve("rootfs/opt/nodejs/node_modules/left-pad/index.js")).exists();
    assertThat(bundle.resolve("rootfs/var/rapid/aws-lambda-rie")).isExecutable();
    assertThat(bundle.resolve("rootfs/bin/busybox")).exists();
  }

  @Test
  void theRuntimeBaseIsPulledFromTheRegistryUnderItsMappedName() throws Exception {
    try (dev.berth.testing.LocalRegistry registry = dev.berth.testing.LocalRegistry.startPlain()) {
      berth.run("push", "lambda.example/runtimes/python:3.12-x86_64",
          registry.host() + "/lambda/python:3.12-x86_64").succeeded();
      Berth empty = new Berth(work.resolve("empty-store"));
      Berth.Result built = empty.run("layered", "--runtime", "python3.12", "--registry-prefix",
          registry.host() + "/lambda", "--layer", layerZip.toString()).succeeded();
      assertThat(built.stderr()).startsWith("built ");
      Berth.Result again = empty.run("layered", "--runtime", "python3.12", "--registry-prefix",
          registry.host() + "/lambda", "--layer", layerZip.toString()).succeeded();
      assertThat(again.stderr().strip()).isEqualTo("unchanged");
      assertThat(again.stdout()).isEqualTo(built.stdout());
    }
  }

  @Test
  void unknownRuntimesAndMissingBasesAreClearErrors() throws Exception {
    berth.run("layered", "--runtime", "cobol9", "--layer", layerZip.toString())
        .failedWithOneLine("unknown Lambda runtime 'cobol9'");
    berth.run("layered", "--runtime", "nodejs20.x", "--arch", "arm64", "--layer", layerZip.toString(), "--pull=never")
        .failedWithOneLine("base image 'public.ecr.aws/lambda/nodejs:20-arm64' is not in the store");
    berth.run("layered", "--runtime", "nodejs20.x", "--arch", "arm64", "--layer", layerZip.toString())
        .failedWithOneLine("base image 'public.ecr.aws/lambda/nodejs:20-arm64' is not in the store and cannot be pulled"
            + " (--pull=missing): unknown registry host public.ecr.aws");
    Berth.Result stale = berth.run("layered", "--runtime", "python3.12", "--registry-prefix", "lambda.example/runtimes",
        "--layer", layerZip.toString()).succeeded();
    assertThat(stale.stderr()).contains("warning: cannot check base lambda.example/runtimes/python:3.12-x86_64");
  }
}
