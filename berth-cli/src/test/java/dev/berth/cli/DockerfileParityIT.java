package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * One Dockerfile built natively by berth and by Debian's dockerd (legacy builder, started by
 * scripts/test) from the same base bytes: the same file tree and the same configuration. And a
 * multi-stage Dockerfile whose build stage compiles with a compiler from apt.
 */
@Tag("integration")
@Tag("skopeo")
@Tag("umoci")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerfileParityIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final String DOCKER = "/usr/bin/docker";
  static final String SOCKET = "unix:///var/run/docker.sock";
  static final String BASE = "parity/busybox:1";

  @TempDir static Path work;
  static Berth berth;

  @BeforeAll
  static void sameBaseInBoth() throws Exception {
    berth = new Berth(work.resolve("store"));
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", busybox, "--as", BASE).succeeded();
    Path archive = work.resolve("base.tar");
    berth.run("copy", BASE, "docker-archive:" + archive).succeeded();
    docker("load", "-i", archive.toString());
  }

  @AfterAll
  static void removeFromTheEngine() throws Exception {
    docker("image", "rm", "-f", BASE, "parity/app:docker", "parity/hello:docker");
  }

  @Test
  void berthAndTheLegacyBuilderMakeTheSameFilesAndConfig() throws Exception {
    Path folder = Files.createDirectories(work.resolve("tree/app"));
    Files.writeString(folder.resolve("hello.txt"), "hello\n");
    Files.createDirectories(folder.resolve("conf/sub"));
    Files.writeString(folder.resolve("conf/app.conf"), "key=value\n");
    Files.writeString(folder.resolve("conf/sub/run.sh"), "#!/bin/sh\necho run\n");
    Files.setPosixFilePermissions(folder.resolve("conf/sub/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(folder.resolve("conf/link"), Path.of("app.conf"));
    writeTar(folder.resolve("payload.tar"), Map.of("data/one.txt", "one\n", "data/two.txt", "two\n"));
    Files.writeString(folder.resolve(".dockerignore"), "*.md\n");
    Files.writeString(folder.resolve("NOTES.md"), "not in the image\n");
    Files.writeString(folder.resolve("Dockerfile"), """
        # syntax=docker/dockerfile:1
        FROM parity/busybox:1
        ARG GREETING=hello
        ARG UNUSED
        ENV APP_HOME=/srv/app \\
            MODE="prod mode"
        LABEL org.example.team=platform org.example.tier="web tier"
        WORKDIR /srv
        WORKDIR app
        COPY hello.txt ./
        COPY --chown=1000:1000 conf/ /etc/app/
        ADD payload.tar /opt/payload/
        ADD hello.txt /opt/hello-copy.txt
        RUN echo "$GREETING from $MODE" > greeting.txt && rm /bin/vi && mkdir -p /var/data && touch /var/data/marker
        RUN ["/bin/sh", "-c", "echo exec form > /srv/app/exec.txt"]
        SHELL ["/bin/sh", "-ec"]
        RUN test -f hello.txt && rm -r /etc/app/sub && mkdir /etc/app/sub && echo new > /etc/app/sub/new.txt
        USER 1000:1000
        EXPOSE 8080/tcp 9090/udp
        VOLUME ["/var/data"]
        STOPSIGNAL SIGTERM
        ENTRYPOINT ["/bin/cat"]
        CMD ["greeting.txt"]
        """);

    Path layout = work.resolve("berth-layout");
    berth.run("build", work.resolve("tree").toString(), "--build-arg", "GREETING=hi",
        "--output", "oci:" + layout + ":app").succeeded();
    docker("build", "--network", "host", "--build-arg", "GREETING=hi", "-t", "parity/app:docker", folder.toString());
    Path dockerLayout = work.resolve("docker-layout");
    Path saved = work.resolve("docker-app.tar");
    docker("save", "-o", saved.toString(), "parity/app:docker");
    Berth.tool(work, "skopeo", "copy", "docker-archive:" + saved, "oci:" + dockerLayout + ":app");

    Map<String, String> ours = unpacked(layout, "app");
    Map<String, String> theirs = unpacked(dockerLayout, "app");
    assertThat(ours).containsKey("/srv/app/greeting.txt").containsKey("/opt/payload/data/two.txt")
        .doesNotContainKey("/bin/vi").doesNotContainKey("/etc/app/sub/run.sh").doesNotContainKey("/NOTES.md");
    assertThat(ours.get("/etc/app/app.conf")).endsWith(" 1000:1000");
    assertThat(ours).isEqualTo(theirs);
    assertThat(config(layout)).isEqualTo(config(dockerLayout));
    assertThat(config(layout).get("Env")).contains("MODE=prod mode").doesNotContain("GREETING");
  }

  @Test
  void aBuildStageCompilesWithAnAptCompilerAndOnlyTheProgramReachesTheFinalImage() throws Exception {
    String debian = Berth.tool(REPO, REPO.resolve("scripts/make-debian-base").toString()).strip();
    berth.run("import", debian, "--as", "parity/debian:bookworm").succeeded();
    Path folder = Files.createDirectories(work.resolve("multi/hello"));
    Files.writeString(folder.resolve("hello.c"), """
        #include <stdio.h>
        int main(void) { printf("compiled by tcc\\n"); return 0; }
        """);
    Files.writeString(folder.resolve("Dockerfile"), """
        FROM parity/debian:bookworm AS build
        RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends tcc libc6-dev \\
            && rm -rf /var/lib/apt/lists/*
        COPY hello.c /src/hello.c
        RUN tcc -o /src/hello /src/hello.c && /src/hello

        FROM parity/debian:bookworm
        COPY --from=build /src/hello /usr/local/bin/hello
        ENTRYPOINT ["/usr/local/bin/hello"]
        """);
    Files.writeString(folder.resolve("test.sh"), "#!/bin/sh\nset -e\ntest \"$(docker run --rm \"$1\")\" = \"compiled by tcc\"\n");
    Files.setPosixFilePermissions(folder.resolve("test.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));

    Path layout = work.resolve("multi-layout");
    Berth.Result built = berth.run("build", work.resolve("multi").toString(), "--select", "hello",
        "--output", "oci:" + layout + ":hello");
    assertThat(built.exitCode()).as(built.stderr()).isZero();
    assertThat(built.stdout()).containsPattern("verified +hello--build:").containsPattern("verified +hello:");
    Map<String, String> files = unpacked(layout, "hello");
    assertThat(files).containsKey("/usr/local/bin/hello").doesNotContainKey("/usr/bin/tcc")
        .doesNotContainKey("/src/hello.c").doesNotContainKey("/usr/include/stdio.h");
    JsonNode manifest = Json.tree(Berth.tool(work, "skopeo", "inspect", "--raw", "oci:" + layout + ":hello")
        .getBytes(StandardCharsets.UTF_8));
    JsonNode base = Json.tree(Berth.tool(work, "skopeo", "inspect", "--raw",
        "oci:" + exported("parity/debian:bookworm") + ":base").getBytes(StandardCharsets.UTF_8));
    assertThat(manifest.get("layers").size()).as("the base's layers and the one copied file")
        .isEqualTo(base.get("layers").size() + 1);
  }

  private static Path exported(String name) throws Exception {
    Path layout = work.resolve("export-" + name.replace('/', '_').replace(':', '_'));
    berth.run("copy", name, "oci:" + layout + ":base").succeeded();
    return layout;
  }

  private static Map<String, String> unpacked(Path layout, String name) throws Exception {
    Path bundle = work.resolve("bundle-" + layout.getFileName());
    Berth.tool(work, "umoci", "unpack", "--image", layout + ":" + name, bundle.toString());
    return Berth.fileTree(bundle.resolve("rootfs"));
  }

  /** What the issue compares: env, entrypoint, cmd, user, workdir, exposed ports, labels, volumes, stop signal. */
  private static Map<String, String> config(Path layout) throws Exception {
    JsonNode config = Json.tree(Berth.tool(work, "skopeo", "inspect", "--config", "oci:" + layout + ":app")
        .getBytes(StandardCharsets.UTF_8)).get("config");
    Map<String, String> out = new TreeMap<>();
    for (String field : new String[] {"Env", "Entrypoint", "Cmd", "User", "WorkingDir", "ExposedPorts", "Labels",
        "Volumes", "StopSignal"}) {
      out.put(field, config.path(field).toString());
    }
    return out;
  }

  private static void writeTar(Path file, Map<String, String> entries) throws Exception {
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      for (var entry : new TreeMap<>(entries).entrySet()) {
        byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
        header.setSize(content.length);
        header.setMode(0100640);
        tar.putArchiveEntry(header);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
  }

  private static void docker(String... args) throws Exception {
    String[] command = Stream.concat(Stream.of(DOCKER, "-H", SOCKET), Stream.of(args)).toArray(String[]::new);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().put("DOCKER_BUILDKIT", "0");
    Process process = builder.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("docker %s: %s", String.join(" ", args), output).isZero();
  }
}
