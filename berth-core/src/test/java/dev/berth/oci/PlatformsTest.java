package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PlatformsTest {
  @Test
  void aCommaSeparatedListKeepsItsOrderAndDropsRepeats() {
    Platforms parsed = Platforms.parse("linux/arm64, linux/amd64,linux/arm64");
    assertThat(parsed.list()).extracting(Platform::toString).containsExactly("linux/arm64", "linux/amd64");
    assertThat(parsed.many()).isTrue();
    assertThat(parsed.first()).isEqualTo(Platform.parse("linux/arm64"));
    assertThat(parsed.toString()).isEqualTo("linux/arm64,linux/amd64");
    assertThat(Platforms.parse("linux/amd64").many()).isFalse();
  }

  @Test
  void yamlEntriesMayThemselvesBeLists() {
    assertThat(Platforms.parse(List.of("linux/amd64,linux/arm64", "linux/ppc64le")).size()).isEqualTo(3);
  }

  @Test
  void anUnknownOrMalformedEntryIsOneLineNamingIt() {
    assertThatThrownBy(() -> Platforms.parse("linux/amd64,linux/amd46"))
        .hasMessage("invalid platform 'linux/amd46': unknown architecture 'amd46' (386, amd64, arm, arm64, "
            + "loong64, mips, mips64, mips64le, mipsle, ppc64, ppc64le, riscv64, s390x, wasm)");
    assertThatThrownBy(() -> Platforms.parse("linux/amd64,")).hasMessageContaining("an empty entry");
    assertThatThrownBy(() -> Platforms.parse("")).hasMessageContaining("no platform given");
    assertThatThrownBy(() -> Platforms.parse("linux/arm64/")).hasMessageContaining("empty variant");
    assertThatThrownBy(() -> Platforms.parse("arm64")).hasMessageContaining("expected os/arch[/variant]");
  }

  @Test
  void defaultVariantsAndMachineNamesAreNormalizedAsContainerdDoes() {
    assertThat(Platform.parse("linux/arm64/v8")).isEqualTo(Platform.parse("linux/arm64"));
    assertThat(Platform.parse("linux/aarch64").toString()).isEqualTo("linux/arm64");
    assertThat(Platform.parse("linux/x86_64").toString()).isEqualTo("linux/amd64");
    assertThat(Platform.parse("linux/arm/v7").variant()).isEqualTo("v7");
  }

  @Test
  void theMachinesOwnPlatformIsTheFirstItRunsAVariantlessEntryServingAnyVariant() {
    Platforms platforms = Platforms.parse("linux/arm/v7,linux/arm64,linux/amd64");
    assertThat(platforms.servedBy(Platform.parse("linux/amd64"))).contains(Platform.parse("linux/amd64"));
    assertThat(platforms.servedBy(Platform.parse("linux/arm64"))).contains(Platform.parse("linux/arm64"));
    assertThat(platforms.servedBy(Platform.parse("linux/arm/v6"))).isEmpty();
    assertThat(Platforms.parse("linux/arm64,linux/s390x").servedBy(Platform.parse("linux/amd64"))).isEmpty();
  }
}
