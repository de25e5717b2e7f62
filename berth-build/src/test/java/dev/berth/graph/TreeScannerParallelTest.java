package dev.berth.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** image.yaml files are parsed on all cores: the images and the error reported do not depend on it. */
@Tag("unit")
class TreeScannerParallelTest {
  @TempDir Path tree;

  private void image(String name, String yaml) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("image.yaml"), yaml);
  }

  @Test
  void imagesComeInTheTreesOrder() throws Exception {
    for (int i = 0; i < 40; i++) {
      image(String.format("i%02d", i), "base: " + (i == 0 ? "scratch" : String.format("i%02d", i - 1)) + "\n");
    }
    for (int run = 0; run < 5; run++) {
      TreeScanner.Tree scanned = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT);
      assertThat(scanned.graph().order()).hasSize(40).isSorted();
      assertThat(scanned.graph().spec("i07")).extracting(ImageSpec::base).isEqualTo("i06");
    }
  }

  @Test
  void ofSeveralBadImageFilesTheFirstInTheTreeIsReported() throws Exception {
    for (int i = 0; i < 40; i++) {
      image(String.format("i%02d", i), i == 7 || i == 31 ? "base: [\n" : "base: scratch\n");
    }
    for (int run = 0; run < 5; run++) {
      assertThatThrownBy(() -> TreeScanner.scan(tree, TreeScanner.Options.DEFAULT))
          .hasMessageContaining("i07").hasMessageNotContaining("i31");
    }
  }
}
