package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.ImageConfig;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MAINTAINER, HEALTHCHECK, ONBUILD as BuildKit's instructions/parse.go and dispatchers read them
 * (cases after moby's TestBuildHealthcheck*, TestBuildOnBuild*, TestBuildMaintainer).
 */
@Tag("unit")
class DockerfileInstructionsTest {
  @TempDir Path context;

  private List<ImageSpec> parse(String dockerfile) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE)
        .parse(context, "app", Map.of()).images();
  }

  private ImageSpec last(String dockerfile) throws IOException {
    List<ImageSpec> images = parse(dockerfile);
    return images.get(images.size() - 1);
  }

  private void refused(String dockerfile, String message) {
    assertThatThrownBy(() -> parse(dockerfile)).isInstanceOf(SpecException.class).hasMessageContaining(message);
  }

  @Test
  void maintainerIsTheAuthorAsWritten() throws IOException {
    assertThat(last("FROM scratch\nMAINTAINER Jane Doe <jane@example.org> $HOME\n").config().author())
        .isEqualTo("Jane Doe <jane@example.org> $HOME");
  }

  @Test
  void healthcheckShellAndExecFormsAndNone() throws IOException {
    ImageConfig.Healthcheck shell = last("FROM scratch\nHEALTHCHECK --interval=1m30s --timeout=500ms "
        + "--start-period=2s --start-interval=1.5s --retries=3 CMD curl -f http://localhost/ || exit 1\n")
        .config().healthcheck();
    assertThat(shell).isEqualTo(new ImageConfig.Healthcheck(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"),
        90_000_000_000L, 500_000_000L, 2_000_000_000L, 1_500_000_000L, 3));
    assertThat(last("FROM scratch\nHEALTHCHECK CMD [\"/bin/check\", \"-v\"]\n").config().healthcheck().test())
        .containsExactly("CMD", "/bin/check", "-v");
    assertThat(last("FROM scratch\nHEALTHCHECK CMD a\nHEALTHCHECK none\n").config().healthcheck())
        .isEqualTo(new ImageConfig.Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0));
    assertThat(last("FROM scratch\nHEALTHCHECK --interval=0 CMD true\n").config().healthcheck().interval()).isZero();
  }

  @Test
  void healthcheckRefusalsNameTheLine() {
    refused("FROM scratch\nHEALTHCHECK --interval=10us CMD true\n", "Dockerfile:2: --interval cannot be less than 1ms");
    refused("FROM scratch\nHEALTHCHECK --timeout=ten CMD true\n", "Dockerfile:2: --timeout: invalid duration 'ten'");
    refused("FROM scratch\nHEALTHCHECK --retries=-1 CMD true\n", "Dockerfile:2: --retries cannot be negative");
    refused("FROM scratch\nHEALTHCHECK NONE true\n", "HEALTHCHECK NONE takes no arguments");
    refused("FROM scratch\nHEALTHCHECK RUN true\n", "unknown type 'RUN' in HEALTHCHECK (try CMD)");
    refused("FROM scratch\nHEALTHCHECK CMD\n", "Dockerfile:2: missing command after HEALTHCHECK CMD");
    refused("FROM scratch\nHEALTHCHECK --port=1 CMD true\n", "Dockerfile:2: unsupported flag --port");
  }

  @Test
  void goDurations() {
    assertThat(HealthcheckInstruction.goDuration("2h45m", "x")).isEqualTo(9_900_000_000_000L);
    assertThat(HealthcheckInstruction.goDuration("1.5h", "x")).isEqualTo(5_400_000_000_000L);
    assertThat(HealthcheckInstruction.goDuration("300ms", "x")).isEqualTo(300_000_000L);
    assertThat(HealthcheckInstruction.goDuration("1us", "x")).isEqualTo(1_000L);
    assertThatThrownBy(() -> HealthcheckInstruction.goDuration("5", "x")).hasMessageContaining("invalid duration");
    assertThatThrownBy(() -> HealthcheckInstruction.goDuration("-1s", "x")).hasMessageContaining("negative");
  }

  @Test
  void onBuildIsStoredAsWrittenAndRunInAStageBuiltOnIt() throws IOException {
    List<ImageSpec> images = parse("""
        FROM scratch AS base
        ENV WHO=base
        ONBUILD ENV GREETING=hello-$WHO
        ONBUILD RUN echo "$GREETING"
        FROM base
        ENV WHO=child
        """);
    ImageSpec base = images.get(0);
    ImageSpec child = images.get(1);
    assertThat(base.config().onBuild()).containsExactly("ENV GREETING=hello-$WHO", "RUN echo \"$GREETING\"");
    assertThat(base.steps()).noneMatch(step -> step instanceof StepSpec.Run);
    assertThat(child.config().onBuild()).isEmpty();
    List<StepSpec> steps = DockerfileFrontendTest.instructions(child);
    assertThat(steps).containsSubsequence(new StepSpec.Env(Map.of("GREETING", "hello-base")),
        new StepSpec.Run(new Command.Shell("echo \"$GREETING\"")), new StepSpec.Env(Map.of("WHO", "child")));
  }

  @Test
  void aBaseOutsideTheDockerfileRunsItsTriggers() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM tools:1\nRUN true\n");
    DockerfileFrontend.Bases bases = new DockerfileFrontend.Bases() {
      @Override
      public java.util.Optional<String> treeImage(String reference) {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<Map<String, String>> environment(String base) {
        return java.util.Optional.of(Map.of());
      }

      @Override
      public List<String> onBuild(String base) {
        return base.equals("tools:1") ? List.of("LABEL triggered=yes") : List.of();
      }
    };
    ImageSpec spec = new DockerfileFrontend(Platform.LINUX_AMD64, bases).parse(context, "app", Map.of()).image();
    assertThat(spec.config().labels()).containsEntry("triggered", "yes");
  }

  @Test
  void onBuildRefusals() {
    refused("FROM scratch\nONBUILD ONBUILD RUN true\n", "Dockerfile:2: chaining ONBUILD via 'ONBUILD ONBUILD' isn't allowed");
    refused("FROM scratch\nONBUILD FROM busybox\n", "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger");
    refused("FROM scratch\nONBUILD MAINTAINER me\n", "MAINTAINER isn't allowed as an ONBUILD trigger");
    refused("FROM scratch\nONBUILD FROBNICATE\n", "Dockerfile:2: ONBUILD trigger 'FROBNICATE': unknown instruction");
  }

  @Test
  void runMountsOfCacheAndSecretBecomeTheStagesMounts() throws IOException {
    Path token = Files.writeString(context.resolve("token.txt"), "s3cret");
    Files.writeString(context.resolve("Dockerfile"), """
        FROM busybox
        WORKDIR /src
        RUN --mount=type=cache,target=/root/.cache --mount=type=cache,target=build \
            --mount=type=secret,id=token,required=true --mount=type=secret,id=absent make
        RUN --network=host --mount=type=secret,target=/run/secrets/token true
        """);
    ImageSpec spec = new DockerfileFrontend(Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE, null,
        Map.of("token", token)).parse(context, "app", Map.of()).image();
    assertThat(spec.caches()).containsExactly("/root/.cache", "/src/build");
    assertThat(spec.secrets()).containsExactly(new ImageSpec.Secret("token", token));
    assertThat(spec.steps()).filteredOn(step -> step instanceof StepSpec.Run).hasSize(2);
  }

  @Test
  void runAndCopyFlagsBerthCannotHonourAreRefused() {
    refused("FROM scratch\nRUN --mount=type=secret,id=x,required=true true\n",
        "Dockerfile:2: secret 'x' is required; give it with --secret id=x,src=FILE");
    refused("FROM scratch\nRUN --mount=type=tmpfs true\n", "Dockerfile:2: RUN --mount=type=tmpfs needs a target");
    refused("FROM scratch AS a\nFROM scratch\nRUN --mount=type=cache,from=a,target=/src true\n",
        "Dockerfile:3: RUN --mount=type=cache with from/source is not supported yet");
    refused("FROM scratch\nRUN --mount=type=cache true\n", "Dockerfile:2: RUN --mount=type=cache needs a target");
    refused("FROM scratch\nRUN --mount=type=cache,target=/c,colour=red true\n", "unexpected key 'colour'");
    refused("FROM scratch\nRUN --network=bridge true\n", "Dockerfile:2: invalid RUN --network 'bridge'");
    refused("FROM scratch\nCOPY --parents=x a /b/\n", "Dockerfile:2: --parents takes no value");
    refused("FROM scratch\nADD --checksum=sha256:00 a /b\n", "Dockerfile:2: invalid --checksum 'sha256:00'");
    refused("FROM scratch\nADD --checksum=sha256:" + "0".repeat(64) + " a /b\n",
        "checksum can't be specified for non-HTTP(S) sources");
  }
}
