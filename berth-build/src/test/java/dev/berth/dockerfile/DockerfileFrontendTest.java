package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class DockerfileFrontendTest {
  @TempDir Path context;

  private List<ImageSpec> parse(String dockerfile, Map<String, String> buildArgs) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", buildArgs).images();
  }

  private ImageSpec single(String dockerfile) throws IOException {
    List<ImageSpec> images = parse(dockerfile, Map.of());
    assertThat(images).hasSize(1);
    return images.get(0);
  }

  @Test
  void argsBeforeFromAndBuildArgs() throws IOException {
    ImageSpec spec = parse("ARG BASE=examples/busybox\nARG TAG=1\nFROM ${BASE}:${TAG}\n"
        + "ARG TAG\nARG MODE=fast\nENV MODE=env-$MODE TAGGED=$TAG\nRUN echo $MODE\n", Map.of("TAG", "2")).get(0);
    assertThat(spec.base()).isEqualTo("examples/busybox:2");
    assertThat(instructions(spec)).containsExactly(
        new StepSpec.BuildArgs(Map.of("TAG", "2")),
        new StepSpec.BuildArgs(Map.of("MODE", "fast")),
        new StepSpec.Env(Map.of("MODE", "env-fast", "TAGGED", "2")),
        new StepSpec.Run(new Command.Shell("echo $MODE")));
  }

  @Test
  void globalArgsAreNotVisibleInAStageUntilDeclared() throws IOException {
    ImageSpec spec = single("ARG V=1\nFROM scratch\nENV A=${V:-unset}\nARG V\nENV B=${V:+set}\n");
    assertThat(instructions(spec)).contains(new StepSpec.Env(Map.of("A", "unset")), new StepSpec.Env(Map.of("B", "set")));
  }

  @Test
  void envOverridesArgAndUsesTheValueBeforeTheInstruction() throws IOException {
    ImageSpec spec = single("FROM scratch\nARG X=arg\nENV X=env\nENV Y=$X Z=1 X=2\nWORKDIR /w/$X\n");
    assertThat(instructions(spec)).contains(new StepSpec.Env(Map.of("Y", "env", "Z", "1", "X", "2")),
        new StepSpec.Workdir("/w/2"));
  }

  @Test
  void proxyBuildArgsReachRunWithoutArg() throws IOException {
    ImageSpec spec = parse("FROM scratch\nRUN true\n", Map.of("http_proxy", "http://proxy:3128")).get(0);
    assertThat(instructions(spec).get(0)).isEqualTo(new StepSpec.BuildArgs(Map.of("http_proxy", "http://proxy:3128")));
  }

  @Test
  void shellAppliesToLaterShellForms() throws IOException {
    ImageSpec spec = single("FROM scratch\nRUN a\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN b | c\n"
        + "RUN [\"d\"]\nCMD e\n");
    assertThat(instructions(spec)).containsExactly(
        new StepSpec.Run(new Command.Shell("a")),
        new StepSpec.Shell(List.of("/bin/bash", "-o", "pipefail", "-c")),
        new StepSpec.Run(new Command.Exec(List.of("/bin/bash", "-o", "pipefail", "-c", "b | c"))),
        new StepSpec.Run(new Command.Exec(List.of("d"))));
    assertThat(spec.config().cmd()).containsExactly("/bin/bash", "-o", "pipefail", "-c", "e");
  }

  @Test
  void runtimeConfiguration() throws IOException {
    ImageSpec spec = single("FROM scratch\nENTRYPOINT /bin/app --serve\nEXPOSE 80 53/udp 8000-8001\n"
        + "LABEL a=1 \"b c\"=\"two words\"\nLABEL old value with spaces\nVOLUME [\"/data\", \"/logs\"]\nVOLUME /cache\n"
        + "STOPSIGNAL SIGQUIT\nUSER app:app\n");
    assertThat(spec.config().entrypoint()).containsExactly("/bin/sh", "-c", "/bin/app --serve");
    assertThat(spec.config().cmd()).isNull();
    assertThat(spec.config().expose()).containsExactly("80/tcp", "53/udp", "8000/tcp", "8001/tcp");
    assertThat(spec.config().labels()).containsEntry("a", "1").containsEntry("b c", "two words")
        .containsEntry("old", "value with spaces");
    assertThat(spec.config().volumes()).containsExactly("/data", "/logs", "/cache");
    assertThat(spec.config().stopSignal()).isEqualTo("SIGQUIT");
    assertThat(instructions(spec)).containsExactly(new StepSpec.User("app:app"));
    assertThat(spec.network()).isEqualTo(ImageSpec.Network.HOST);
    assertThat(spec.tags()).containsExactly("{key}");
  }

  @Test
  void copyResolvesDestinationsSourcesAndArchives() throws IOException {
    Files.createDirectories(context.resolve("conf"));
    Files.writeString(context.resolve("conf/a.conf"), "a");
    Files.writeString(context.resolve("conf/b.conf"), "b");
    Files.writeString(context.resolve("conf/skip.conf"), "skip");
    Files.writeString(context.resolve(".dockerignore"), "conf/skip.conf\n");
    Files.writeString(context.resolve("plain.txt"), "text");
    try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
        new java.util.zip.GZIPOutputStream(Files.newOutputStream(context.resolve("data.tgz"))))) {
      var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("data/one.txt");
      entry.setSize(1);
      out.putArchiveEntry(entry);
      out.write('1');
      out.closeArchiveEntry();
    }
    ImageSpec spec = single("FROM scratch\nWORKDIR /app\nCOPY conf/*.conf ./etc/\nCOPY --chown=app:app --chmod=0640 "
        + "/plain.txt notes.txt\nADD data.tgz /opt/data\nADD plain.txt .\nCOPY . /all/\n");
    assertThat(instructions(spec)).containsExactly(
        new StepSpec.Workdir("/app"),
        new StepSpec.Copy("conf/a.conf", "/app/etc/", null, null),
        new StepSpec.Copy("conf/b.conf", "/app/etc/", null, null),
        new StepSpec.Copy("plain.txt", "/app/notes.txt", "app:app", "0640"),
        new StepSpec.AddArchive("data.tgz", "/opt/data/"),
        new StepSpec.Copy("plain.txt", "/app/", null, null),
        new StepSpec.Copy(".", "/all/", null, null));
  }

  @Test
  void relativeDestinationWithoutKnownWorkdirStaysRelative() throws IOException {
    Files.writeString(context.resolve("f"), "x");
    ImageSpec spec = single("FROM examples/busybox:1\nCOPY f sub/\nWORKDIR rel\n");
    assertThat(instructions(spec)).containsExactly(new StepSpec.Copy("f", "sub/", null, null), new StepSpec.Workdir("rel"));
  }

  @Test
  void multiStageBuildsOnlyWhatTheLastStageNeeds() throws IOException {
    List<ImageSpec> images = parse("FROM examples/busybox:1 AS deps\nRUN make deps\n"
        + "FROM deps AS build\nRUN make\n"
        + "FROM examples/busybox:1 AS unused\nRUN false\n"
        + "FROM examples/busybox:1\nCOPY --from=build /out/app /usr/bin/\nCOPY --from=0 lib /lib/\n"
        + "COPY --from=examples/tools:1 /bin/tool /bin/\n", Map.of());
    assertThat(images).extracting(ImageSpec::name).containsExactly("app--deps", "app--build", "app");
    assertThat(images.get(1).base()).isEqualTo("app--deps");
    assertThat(images.get(0).tags()).containsExactly("{key}");
    ImageSpec last = images.get(2);
    assertThat(instructions(last)).containsExactly(
        new StepSpec.CopyFrom("app--build", "/out/app", "/usr/bin/", null, null),
        new StepSpec.CopyFrom("app--deps", "/lib", "/lib/", null, null),
        new StepSpec.CopyFrom("examples/tools:1", "/bin/tool", "/bin/", null, null));
    assertThat(DockerfileFrontend.dependencies(last)).containsExactly("app--build", "app--deps");
    assertThat(DockerfileFrontend.isStage("app--build")).isTrue();
  }

  @Test
  void baseEnvironmentFeedsSubstitution() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM parent\nENV PATH=/go/bin:$PATH\nFROM other\nENV X=$HOME\n");
    var bases = new DockerfileFrontend.Bases() {
      @Override
      public Optional<String> treeImage(String reference) {
        return Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> environment(String base) {
        return base.equals("parent") ? Optional.of(Map.of("PATH", "/usr/bin")) : Optional.empty();
      }
    };
    var result = new DockerfileFrontend(Platform.LINUX_AMD64, bases).parse(context, "app", Map.of());
    assertThat(result.images()).hasSize(1);
    assertThat(instructions(result.image())).containsExactly(new StepSpec.Env(Map.of("X", "")));
    assertThat(result.warnings()).anyMatch(w -> w.contains(":4: the environment of base 'other' is unknown; [$HOME]"));
    Files.writeString(context.resolve("Dockerfile"), "FROM parent\nENV PATH=/go/bin:$PATH\n");
    var first = new DockerfileFrontend(Platform.LINUX_AMD64, bases).parse(context, "app", Map.of());
    assertThat(instructions(first.image())).containsExactly(new StepSpec.Env(Map.of("PATH", "/go/bin:/usr/bin")));
    assertThat(first.environment()).containsEntry("PATH", "/go/bin:/usr/bin");
  }

  @Test
  void fromGivesPathItsDefaultWhereTheBaseHasNone() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nENV BIN=/opt/bin:$PATH\n");
    var spec = new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image();
    String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    assertThat(spec.steps().get(0)).isEqualTo(new StepSpec.DefaultEnv(Map.of("PATH", path)));
    assertThat(spec.steps()).contains(new StepSpec.Env(Map.of("BIN", "/opt/bin:" + path)));
  }

  @Test
  void badInputNamesFileAndLine() throws IOException {
    Files.writeString(context.resolve("a"), "x");
    Path file = context.resolve("Dockerfile");
    assertError("FROM scratch\n\nCOPY ../secret /x\n", file + ":3: source '../secret' is outside the build context");
    assertError("FROM scratch\nCOPY missing /x\n", file + ":2: source 'missing' does not exist");
    assertError("FROM scratch\nCOPY a a /x\n", file + ":2: COPY of several sources needs a directory destination");
    assertError("FROM scratch\nADD ftp://example.org/x.tgz /x/\n", file + ":2: ADD of 'ftp://example.org/x.tgz': only"
        + " http(s) URLs are fetched");
    assertError("RUN true\nFROM scratch\n", file + ":1: RUN before the first FROM");
    assertError("FROM scratch\nCOPY --chmod=rwx a /x\n", file + ":2: invalid --chmod");
    assertError("FROM scratch\nEXPOSE 70000\n", file + ":2: invalid port");
    assertError("FROM scratch\nRUN []\n", file + ":2: RUN has an empty exec form");
    assertError("FROM a AS x\nFROM b AS x\n", file + ":2: stage name 'x' is used twice");
    assertError("FROM scratch\nENV A=${NOPE:?is_required}\n", file + ":2: NOPE: is_required");
    assertError("FROM scratch\nCOPY --from=5 /a /b\n", file + ":2: COPY --from=5 names no earlier stage");
    assertError("# nothing\n", file + ": no FROM instruction");
  }

  private void assertError(String dockerfile, String message) {
    assertThatThrownBy(() -> parse(dockerfile, Map.of())).isInstanceOf(SpecException.class)
        .hasMessageStartingWith(message);
  }

  /** The steps the instructions made, without the PATH default every FROM adds (tested on its own). */
  static java.util.List<StepSpec> instructions(dev.berth.spec.ImageSpec spec) {
    return spec.steps().stream().filter(step -> !(step instanceof StepSpec.DefaultEnv)).toList();
  }
}
