package dev.berth.engine;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

@Tag("unit")
class LambdaRuntimesTest {
  @Test
  void mapsRuntimesAsSamDoes() {
    String prefix = LambdaRuntimes.DEFAULT_PREFIX;
    assertThat(LambdaRuntimes.baseImage("python3.12", "x86_64", prefix)).isEqualTo("public.ecr.aws/lambda/python:3.12-x86_64");
    assertThat(LambdaRuntimes.baseImage("nodejs20.x", "arm64", prefix)).isEqualTo("public.ecr.aws/lambda/nodejs:20-arm64");
    assertThat(LambdaRuntimes.baseImage("provided.al2", "x86_64", "r.example/x/")).isEqualTo("r.example/x/provided:al2-x86_64");
    assertThat(LambdaRuntimes.baseImage("java21", "arm64", prefix)).isEqualTo("public.ecr.aws/lambda/java:21-arm64");
    assertThat(LambdaRuntimes.baseImage("ruby3.3", "x86_64", prefix)).isEqualTo("public.ecr.aws/lambda/ruby:3.3-x86_64");
    assertThat(LambdaRuntimes.ociArchitecture("x86_64")).isEqualTo("amd64");
  }

  @Test
  void aSingleArchitectureRuntimeHasNoArchitectureInItsTagAndNoArm64() {
    String prefix = LambdaRuntimes.DEFAULT_PREFIX;
    assertThat(LambdaRuntimes.baseImage("provided", "x86_64", prefix)).isEqualTo("public.ecr.aws/lambda/provided:alami");
    assertThatThrownBy(() -> LambdaRuntimes.baseImage("provided", "arm64", prefix))
        .hasMessageContaining("runtime provided is not supported on 'arm64' architecture");
    assertThat(LambdaRuntimes.indexImage("python3.12", prefix)).isEqualTo("public.ecr.aws/lambda/python:3.12");
    assertThat(LambdaRuntimes.indexImage("provided.al2023", "r.example/x")).isEqualTo("r.example/x/provided:al2023");
    assertThat(LambdaBase.platform("arm64")).hasToString("linux/arm64");
  }

  @Test
  void refusesUnknownRuntimesAndArchitectures() {
    assertThatThrownBy(() -> LambdaRuntimes.parse("go1.x9")).hasMessageContaining("unknown Lambda runtime");
    assertThatThrownBy(() -> LambdaRuntimes.baseImage("python3.12", "mips", "p")).hasMessageContaining("unknown architecture");
  }
}
