package dev.berth.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Platform;
import dev.berth.oci.Platforms;
import dev.berth.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class PlatformTreesTest {
  @TempDir Path tree;

  private void image(String name, String yaml) throws Exception {
    Files.createDirectories(tree.resolve(name));
    Files.writeString(tree.resolve(name).resolve("image.yaml"), yaml);
  }

  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");

  @Test
  void berthYamlPlatformsAreTheRunsAndEachImageIsSetToEach() throws Exception {
    Files.writeString(tree.resolve("berth.yaml"), "platforms: [linux/amd64, linux/arm64]\n");
    image("base", "base: scratch\n");
    image("app", "base: base\ntags: [\"{key}\", \"1.0\"]\n");
    TreeScanner.Tree scanned = TreeScanner.scan(tree, (Platform) null);
    Platforms run = PlatformTrees.of(scanned, Optional.empty());
    assertThat(run.list()).containsExactly(AMD64, ARM64);
    TreeScanner.Tree arm = PlatformTrees.forPlatform(TreeScanner.scan(tree, ARM64), ARM64, run);
    assertThat(arm.graph().spec("app").platform()).isEqualTo(ARM64);
    assertThat(arm.graph().spec("app").tags()).as("a child of an index carries its key tag only")
        .containsExactly("{key}");
    assertThat(PlatformTrees.indexed(scanned, "app", run)).isTrue();
  }

  @Test
  void aSinglePlatformTreeStaysOneRunWithItsTags() throws Exception {
    image("app", "base: scratch\ntags: [\"{key}\", \"1.0\"]\n");
    TreeScanner.Tree scanned = TreeScanner.scan(tree, (Platform) null);
    assertThat(PlatformTrees.of(scanned, Optional.empty()).many()).isFalse();
    assertThat(PlatformTrees.of(scanned, Optional.of(Platforms.parse("linux/arm64"))).list()).containsExactly(ARM64);
  }

  @Test
  void anImageNamingPlatformsIsBuiltForThoseOnlyAndItsBaseMustBeToo() throws Exception {
    image("base", "base: scratch\nplatforms: [linux/amd64]\n");
    image("tool", "base: scratch\nplatform: linux/amd64,linux/arm64\n");
    image("app", "base: base\n");
    TreeScanner.Tree scanned = TreeScanner.scan(tree, (Platform) null);
    Platforms run = PlatformTrees.of(scanned, Optional.empty());
    assertThat(run.list()).as("an image naming several makes the run multi-platform").containsExactly(AMD64, ARM64);
    assertThat(PlatformTrees.platformsOf(scanned, "base", run)).containsExactly(AMD64);
    assertThat(PlatformTrees.indexed(scanned, "base", run)).isFalse();
    assertThatThrownBy(() -> PlatformTrees.forPlatform(TreeScanner.scan(tree, ARM64), ARM64, run))
        .isInstanceOf(GraphException.class)
        .hasMessage("image 'app' is built for linux/arm64, but 'base', which it builds on, is not");
    TreeScanner.Tree amd = PlatformTrees.forPlatform(TreeScanner.scan(tree, AMD64), AMD64, run);
    assertThat(amd.graph().order()).containsExactly("base", "app", "tool");
  }

  @Test
  void aSingleRunPicksTheRequestedPlatformOfAnImagesList() throws Exception {
    image("tool", "base: scratch\nplatforms: [linux/amd64, linux/arm64]\n");
    assertThat(TreeScanner.scan(tree, ARM64).graph().spec("tool").platform()).isEqualTo(ARM64);
    assertThat(TreeScanner.scan(tree, (Platform) null).graph().spec("tool").platform()).isEqualTo(AMD64);
  }

  @Test
  void badPlatformsInYamlNameTheFileAndLine() throws Exception {
    image("tool", "base: scratch\nplatforms: [linux/amd64, linux/amd46]\n");
    assertThatThrownBy(() -> TreeScanner.scan(tree, (Platform) null)).isInstanceOf(SpecException.class)
        .hasMessageContaining("image.yaml:2").hasMessageContaining("unknown architecture 'amd46'");
    Files.delete(tree.resolve("tool/image.yaml"));
    image("tool", "base: scratch\n");
    Files.writeString(tree.resolve("berth.yaml"), "registry: example.org\nplatforms: [linux/amd64, windows/x]\n");
    assertThatThrownBy(() -> TreeConfig.load(tree)).isInstanceOf(SpecException.class)
        .hasMessageContaining("berth.yaml:2").hasMessageContaining("unknown architecture 'x'");
    Files.writeString(tree.resolve("berth.yaml"), "platform: linux/amd64\nplatforms: [linux/arm64]\n");
    assertThatThrownBy(() -> TreeConfig.load(tree)).hasMessageContaining("not both");
    Files.writeString(tree.resolve("berth.yaml"), "platform: linux/arm64,linux/amd64\n");
    assertThat(TreeConfig.load(tree).platforms().list()).containsExactly(ARM64, AMD64);
    assertThat(TreeConfig.load(tree).platform()).isEqualTo(ARM64);
  }
}
