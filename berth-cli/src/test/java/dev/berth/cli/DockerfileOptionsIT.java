package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Build options of Dockerfiles: --output of a multi-stage build, --target, -f with a context elsewhere, ignore files. */
@Tag("integration")
@Tag("umoci")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerfileOptionsIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  static final String MULTI_STAGE = """
      FROM busybox AS build
      RUN echo built > /artifact
      FROM busybox AS test
      RUN echo tested > /tested
      FROM busybox
      COPY --from=build /artifact /artifact
      """;
  @TempDir static Path work;
  static Berth berth;

  @BeforeAll
  static void base() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "busybox:latest").succeeded();
  }

  /** The root file system of the image {@code tag} of the OCI layout {@code layout}. */
  private static Path unpacked(Path layout, String tag) throws Exception {
    Path bundle = work.resolve("bundle-" + layout.getFileName() + "-" + tag);
    Berth.tool(work, "umoci", "unpack", "--image", layout + ":" + tag, bundle.toString());
    return bundle.resolve("rootfs");
  }

  @Test
  void aMultiStageBuildWritesItsFinalStage() throws Exception {
    Path folder = Files.createDirectories(work.resolve("multi/app"));
    Files.writeString(folder.resolve("Dockerfile"), MULTI_STAGE);
    Path layout = work.resolve("multi-out");
    Berth.Result built = berth.run("build", work.resolve("multi").toString(), "--output", "oci:" + layout + ":final")
        .succeeded();
    assertThat(built.stdout()).contains("app--build:").doesNotContain("app--test:");
    Path rootfs = unpacked(layout, "final");
    assertThat(rootfs.resolve("artifact")).hasContent("built");
    assertThat(rootfs.resolve("tested")).doesNotExist();
  }

  @Test
  void targetBuildsTheNamedStage() throws Exception {
    Path folder = Files.createDirectories(work.resolve("target/app"));
    Files.writeString(folder.resolve("Dockerfile"), MULTI_STAGE);
    Path layout = work.resolve("target-out");
    berth.run("build", work.resolve("target").toString(), "--target", "test", "--output", "oci:" + layout + ":t")
        .succeeded();
    Path rootfs = unpacked(layout, "t");
    assertThat(rootfs.resolve("tested")).hasContent("tested");
    assertThat(rootfs.resolve("artifact")).doesNotExist();
    berth.run("plan", work.resolve("target").toString(), "--target", "nope")
        .failedWithOneLine("Dockerfile: target stage 'nope' could not be found");
  }

  @Test
  void aDockerfileElsewhereWithItsOwnIgnoreFile() throws Exception {
    Path context = Files.createDirectories(work.resolve("ctx"));
    Files.createDirectories(context.resolve("docker"));
    Files.writeString(context.resolve("keep.txt"), "kept");
    Files.writeString(context.resolve("secret.txt"), "never copied");
    Files.writeString(context.resolve(".dockerignore"), "keep.txt\n");
    Files.writeString(context.resolve("docker/app.Dockerfile"), "FROM busybox\nCOPY . /ctx/\n");
    // BuildKit: NAME.dockerignore next to the Dockerfile wins over the context's .dockerignore.
    Files.writeString(context.resolve("docker/app.Dockerfile.dockerignore"), "secret.txt\ndocker\n.dockerignore\n");
    Path layout = work.resolve("ctx-out");
    berth.run("build", context.toString(), "-f", context.resolve("docker/app.Dockerfile").toString(),
        "--output", "oci:" + layout + ":x").succeeded();
    Path rootfs = unpacked(layout, "x");
    assertThat(rootfs.resolve("ctx/keep.txt")).hasContent("kept");
    assertThat(rootfs.resolve("ctx/secret.txt")).doesNotExist();
    assertThat(rootfs.resolve("ctx/docker")).doesNotExist();
  }

  @Test
  void berthYamlNamesDockerfilesAsBakeDoes() throws Exception {
    Path tree = Files.createDirectories(work.resolve("bake"));
    Files.createDirectories(tree.resolve("src"));
    Files.createDirectories(tree.resolve("build"));
    Files.writeString(tree.resolve("src/hello.txt"), "hello");
    Files.writeString(tree.resolve("build/web.Dockerfile"), MULTI_STAGE + "COPY hello.txt /\n");
    Files.writeString(tree.resolve("berth.yaml"), """
        dockerfiles:
          - {name: web, context: src, dockerfile: build/web.Dockerfile}
          - {name: web-test, context: src, dockerfile: build/web.Dockerfile, target: test}
        """);
    Berth.Result built = berth.run("build", tree.toString()).succeeded();
    assertThat(built.stdout()).contains("verified   web:").contains("verified   web-test:");
    Path layout = work.resolve("bake-out");
    berth.run("build", tree.toString(), "--select", "web", "--output", "oci:" + layout + ":web").succeeded();
    assertThat(unpacked(layout, "web").resolve("hello.txt")).hasContent("hello");
  }

  @Test
  void heredocsSecretsAndCachesRunInRunc() throws Exception {
    Path folder = Files.createDirectories(work.resolve("mounts/app"));
    Path token = Files.writeString(work.resolve("token.txt"), "s3cret-value");
    Files.writeString(folder.resolve("Dockerfile"), """
        FROM busybox
        RUN <<EOF
        echo "from a heredoc" > /heredoc.txt
        EOF
        RUN <<EOF
        #!/bin/sh -e
        echo "from a shebang" > /shebang.txt
        EOF
        RUN --mount=type=secret,id=token,required=true \
            test "$(wc -c < /run/secrets/token)" -eq 12 && echo used > /secret-used
        RUN --mount=type=cache,target=/cache echo run >> /cache/runs && cp /cache/runs /runs
        """);
    Path layout = work.resolve("mounts-out");
    String secret = "id=token,src=" + token;
    berth.run("build", work.resolve("mounts").toString(), "--secret", secret).succeeded();
    // A changed step before it makes the cache step run again, with the cache of the first run.
    Files.writeString(folder.resolve("Dockerfile"), Files.readString(folder.resolve("Dockerfile"))
        .replace("RUN --mount=type=cache", "ENV SECOND=1\nRUN --mount=type=cache"));
    berth.run("build", work.resolve("mounts").toString(), "--secret", secret,
        "--output", "oci:" + layout + ":m").succeeded();
    Path rootfs = unpacked(layout, "m");
    assertThat(rootfs.resolve("heredoc.txt")).hasContent("from a heredoc");
    assertThat(rootfs.resolve("shebang.txt")).hasContent("from a shebang");
    assertThat(rootfs.resolve("secret-used")).hasContent("used");
    assertThat(rootfs.resolve("run/secrets/token")).doesNotExist();
    assertThat(rootfs.resolve("runs")).hasContent("run\nrun");
    assertThat(rootfs.resolve("cache")).doesNotExist();
    for (Path blob : Files.list(layout.resolve("blobs/sha256")).toList()) {
      byte[] bytes = Files.readAllBytes(blob);
      assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("s3cret-value");
      try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
        assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain("s3cret-value");
      } catch (java.util.zip.ZipException notGzip) {
        // configs and manifests: checked above as they are
      }
    }
    berth.run("build", work.resolve("mounts").toString()).failedWithOneLine(
        "Dockerfile:9: secret 'token' is required; give it with --secret id=token,src=FILE");
  }
}
