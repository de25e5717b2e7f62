package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bind's source inside an unpacked image: its links followed as in the image, never out of it. */
@Tag("unit")
class StepMountsTest {
  @TempDir Path root;

  @Test
  void linksAreFollowedInsideTheImage() throws IOException {
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
    Files.createSymbolicLink(root.resolve("abs"), Path.of("/usr"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../../etc"));
    assertThat(StepMounts.inside(root, "/bin/sh")).isEqualTo(root.resolve("usr/bin/sh"));
    assertThat(StepMounts.inside(root, "/abs/bin")).isEqualTo(root.resolve("usr/bin"));
    assertThat(StepMounts.inside(root, "/up/passwd")).isEqualTo(root.resolve("etc/passwd"));
    assertThat(StepMounts.inside(root, "/../../x")).isEqualTo(root.resolve("x"));
  }
}
