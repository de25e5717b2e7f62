package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import dev.berth.spec.SpecException;
import dev.berth.spec.RunMount;
import dev.berth.spec.StepContent;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY --parents and --exclude as BuildKit documents them (Docker 20.10 has neither to compare
 * with): facts from BuildKit's dockerfile_parents_test.go (testCopyParents, testCopyRelativeParents,
 * here from the context rather than a stage) and exclude_patterns_test.go (testExcludedFilesOnCopy).
 */
@Tag("unit")
class DockerfileCopyFlagsTest {
  @TempDir Path context;

  private List<StepSpec.Copy> copies(String dockerfile, String... files) throws IOException {
    for (String file : files) {
      Path path = context.resolve(file);
      Files.createDirectories(path.getParent());
      Files.writeString(path, file);
    }
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image().steps().stream()
        .filter(step -> step instanceof StepSpec.Copy).map(step -> (StepSpec.Copy) step).toList();
  }

  private static StepSpec.Copy copy(String src, String dest) {
    return new StepSpec.Copy(src, dest, null, null);
  }

  @Test
  void parentsKeepTheSourcesPathUnderTheDestination() throws IOException {
    assertThat(copies("""
        FROM scratch
        COPY --parents foo1/foo2/bar /
        WORKDIR /test
        COPY --parents foo1/foo2/ba* .
        """, "foo1/foo2/bar", "foo1/foo2/baz")).containsExactly(
        copy("foo1/foo2/bar", "/foo1/foo2/"),
        copy("foo1/foo2/bar", "/test/foo1/foo2/"),
        copy("foo1/foo2/baz", "/test/foo1/foo2/"));
  }

  @Test
  void aPivotKeepsOnlyWhatFollowsIt() throws IOException {
    String[] files = {"test/a/b/c/d/foo", "test/a/b/c/d/e/bay", "test/a/b2/c/d/e/bar"};
    assertThat(copies("FROM scratch\nCOPY --parents /test/a/b/./c/d /out/\n", files))
        .containsExactly(copy("test/a/b/c/d", "/out/c/d/"));
    assertThat(copies("FROM scratch\nCOPY --parents /test/a/b/c/d/. /out/\n", files))
        .containsExactly(copy("test/a/b/c/d", "/out/test/a/b/c/d/"));
    assertThat(copies("FROM scratch\nCOPY --parents ./test/a/b/c/d /out/\n", files))
        .containsExactly(copy("test/a/b/c/d", "/out/test/a/b/c/d/"));
    assertThat(copies("FROM scratch\nCOPY --parents /test/a/./b/./c /out/\n", files))
        .containsExactly(copy("test/a/b/c", "/out/b/c/"));
    assertThat(copies("FROM scratch\nCOPY --parents /test/a/./*/c /out/\n", files))
        .containsExactly(copy("test/a/b/c", "/out/b/c/"), copy("test/a/b2/c", "/out/b2/c/"));
  }

  @Test
  void excludesGoWithTheCopy() throws IOException {
    assertThat(copies("""
        FROM scratch
        COPY --exclude=*/*.png --exclude=*/*.jpeg . /1
        ARG ext=mp3
        ADD --exclude=*.${ext} dir3/ /3/
        """, "dir3/file-301.mp3")).containsExactly(
        new StepSpec.Copy(".", "/1", null, null, List.of("*/*.png", "*/*.jpeg")),
        new StepSpec.Copy("dir3", "/3/", null, null, List.of("*.mp3")));
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> copies("FROM scratch\nCOPY --exclude= a /b\n", "a")).isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: --exclude needs a pattern");
    assertThatThrownBy(() -> copies("FROM scratch\nCOPY https://example.org/r.git /src\n"))
        .isInstanceOf(SpecException.class).hasMessageContaining("Dockerfile:2: source can't be a URL for COPY");
    assertThatThrownBy(() -> copies("FROM scratch\nADD --keep-git-dir https://example.org/r.git /src\n"))
        .isInstanceOf(SpecException.class).hasMessageContaining("Dockerfile:2: ADD --keep-git-dir is not supported");
    assertThatThrownBy(() -> copies("FROM scratch\nCOPY http://example.org/a /a\n"))
        .isInstanceOf(SpecException.class).hasMessageContaining("Dockerfile:2: source can't be a URL for COPY");
    assertThatThrownBy(() -> copies("FROM scratch\nADD --checksum=sha256:abc http://example.org/a /a\n"))
        .isInstanceOf(SpecException.class).hasMessageContaining("Dockerfile:2: invalid --checksum 'sha256:abc'");
    assertThatThrownBy(() -> copies("FROM scratch\nADD --checksum=sha256:" + "0".repeat(64) + " a /a\n", "a"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: checksum can't be specified for non-HTTP(S) sources");
  }

  /** BuildKit's git sources (dockerfile_addgit_test.go, testAddGit): URL#REF:SUBDIR. */
  @Test
  void addOfAGitRepositoryNamesItsRefAndFolder() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), """
        FROM scratch
        ADD https://example.org/r.git#v1:sub/dir /src/
        ADD git@example.org:team/r.git /all
        """);
    List<StepSpec> steps = new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image().steps();
    assertThat(steps).contains(
        new StepSpec.CopyContent(new StepContent.Git("https://example.org/r.git", "v1", "sub/dir"), "/src/", null,
            null),
        new StepSpec.CopyContent(new StepContent.Git("git@example.org:team/r.git", null, null), "/all", null,
            null));
  }

  @Test
  void addOfAUrlIsADownload() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nADD --checksum=sha256:" + "a".repeat(64)
        + " https://example.org/f.txt /dest/\nRUN --network=none true\n");
    List<StepSpec> steps = new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image().steps();
    assertThat(steps).contains(new StepSpec.CopyContent(new StepContent.Url("https://example.org/f.txt",
        "sha256:" + "a".repeat(64)), "/dest/", null, null));
    assertThat(steps).filteredOn(step -> step instanceof StepSpec.Run).singleElement()
        .isEqualTo(new StepSpec.Run(new dev.berth.spec.Command.Shell("true"), dev.berth.spec.ImageSpec.Network.NONE));
  }

  /** BuildKit's testMountContext, testMountTmpfs and testMountTmpfsSize: mounts of one RUN step. */
  @Test
  void bindAndTmpfsMountsBelongToTheirStep() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), """
        FROM busybox
        WORKDIR /work
        RUN --mount=target=/context [ "$(cat /context/testfile)" = "contents0" ]
        RUN --mount=type=bind,source=./sub/../data,target=in,rw true
        RUN --mount=type=tmpfs,target=/dev/shm,size=128m true
        RUN true
        """);
    List<StepSpec> runs = new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image().steps().stream().filter(step -> step instanceof StepSpec.Run)
        .toList();
    assertThat(runs).extracting(step -> ((StepSpec.Run) step).mounts()).containsExactly(
        List.of(new RunMount.Bind(".", "/context", false)),
        List.of(new RunMount.Bind("data", "/work/in", true)),
        List.of(new RunMount.Tmpfs("/dev/shm", 128L * 1024 * 1024)),
        List.of());
    assertThat(Sizes.bytes("65536k")).isEqualTo(65536L * 1024);
    assertThat(Sizes.bytes("1000")).isEqualTo(1000);
  }

  private List<StepSpec> steps(String dockerfile) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).image().steps();
  }

  /**
   * BuildKit's testCopyRelativeParents and testExcludedFilesOnCopy with --from: the copy keeps the
   * first /./ pivot (the rest of the path is cleaned), a trailing /. is no pivot, and the patterns.
   */
  @Test
  void parentsAndExcludesFromAStage() throws IOException {
    assertThat(steps("""
        FROM busybox AS base
        FROM busybox
        COPY --from=base --parents /test/a/./b/./c ./x/../test/a/b/c/d/. /out
        COPY --from=base --exclude=*.png --exclude=*/*.jpeg /src /1
        """).stream().filter(StepSpec.CopyFrom.class::isInstance).toList()).containsExactly(
        new StepSpec.CopyFrom("app--base", "/test/a/./b/c", "/out/", null, null, List.of(), true),
        new StepSpec.CopyFrom("app--base", "/./test/a/b/c/d", "/out/", null, null, List.of(), true),
        new StepSpec.CopyFrom("app--base", "/src", "/1", null, null, List.of("*.png", "*/*.jpeg"), false));
  }

  /** BuildKit's testMountRWCache: a bind from a stage names the stage's image, which the step reads. */
  @Test
  void aBindFromAStageReadsTheStage() throws IOException {
    StepSpec.Run run = steps("FROM busybox AS build\nFROM busybox\nWORKDIR /w\n"
        + "RUN --mount=from=build,src=out,target=o,rw true\n").stream()
        .filter(StepSpec.Run.class::isInstance).map(StepSpec.Run.class::cast).findFirst().orElseThrow();
    assertThat(run.mounts()).containsExactly(new RunMount.ImageBind("app--build", "/out", "/w/o", true));
    assertThat(run.sourceImages()).containsExactly("app--build");
    assertThatThrownBy(() -> steps("FROM busybox AS t\nFROM busybox\nENV s=t\nRUN --mount=from=$s,target=/x true\n"))
        .isInstanceOf(SpecException.class).hasMessageContaining("Dockerfile:4: RUN --mount: 'from' doesn't take");
  }

  /** BuildKit's testMountInvalid and testMountFromError: what berth refuses, with the line. */
  @Test
  void mountRefusals() {
    assertThatThrownBy(() -> copies("FROM busybox\nRUN --mount=type=bind true\n")).isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: RUN --mount=type=bind needs a target");
    assertThatThrownBy(() -> copies("FROM busybox\nRUN --mount=type=tmpfs,target=/t,size=lots true\n"))
        .isInstanceOf(SpecException.class).hasMessageContaining("Dockerfile:2: invalid size 'lots'");
    assertThatThrownBy(() -> copies("FROM busybox\nRUN --mount=type=bind,target=/t,color=red true\n"))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: unexpected key 'color' in RUN --mount=type=bind");
    assertThatThrownBy(() -> copies("FROM busybox\nRUN --mount=type=ssh true\n")).isInstanceOf(SpecException.class)
        .hasMessageContaining("Dockerfile:2: RUN --mount=type=ssh needs the SSH agent 'default': give it with --ssh"
            + " default");
  }

  /** The reference's RUN --mount=type=ssh: default id and target /run/buildkit/ssh_agent.N, counted per RUN. */
  @Test
  void sshMountsNameTheAgentAndTheirTarget() throws IOException {
    Path socket = context.resolve("agent.sock");
    Files.writeString(context.resolve("Dockerfile"), "FROM busybox\nWORKDIR /w\n"
        + "RUN --mount=type=ssh --mount=type=ssh,id=deploy --mount=type=ssh,id=deploy,dst=s true\n");
    StepSpec.Run run = new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE, null, Map.of(),
        Map.of("default", socket, "deploy", socket)).parse(context, "app", Map.of()).image().steps().stream()
        .filter(StepSpec.Run.class::isInstance).map(StepSpec.Run.class::cast).findFirst().orElseThrow();
    assertThat(run.mounts()).containsExactly(new RunMount.Ssh("default", "/run/buildkit/ssh_agent.0", socket),
        new RunMount.Ssh("deploy", "/run/buildkit/ssh_agent.1", socket),
        new RunMount.Ssh("deploy", "/w/s", socket));
  }
}
