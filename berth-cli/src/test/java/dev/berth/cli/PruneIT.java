package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune after three builds with changed inputs frees the superseded images, and nothing else. */
@Tag("integration")
@Tag("runc")
class PruneIT {
  @TempDir Path work;

  @Test
  void freesSupersededImagesAndKeepsEverythingElse() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Path app = Files.createDirectories(tree.resolve("app"));
    Files.writeString(app.resolve("image.yaml"), "base: imported/base:1\ncopy:\n  - {src: f.txt, dest: /f.txt}\n");
    Berth berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "imported/base:1").succeeded();
    berth.run("import", rootfs, "--as", "someone/else:2", "--compression", "zstd").succeeded();

    for (int build = 1; build <= 3; build++) {
      Files.writeString(app.resolve("f.txt"), "version " + build + " " + "x".repeat(100_000 * build));
      berth.run("build", tree.toString()).succeeded();
    }
    String before = berth.run("store", "ls").succeeded().stdout();
    assertThat(before.lines().filter(line -> line.startsWith("app:"))).hasSize(3);

    Berth.Result kept = berth.run("prune", tree.toString(), "--keep", "2").succeeded();
    assertThat(kept.stdout()).contains("removed 1 tags");
    Berth.Result pruned = berth.run("prune", tree.toString()).succeeded();
    assertThat(pruned.stdout()).contains("removed 1 tags").containsPattern("freed [1-9][0-9]{3,} bytes");

    String after = berth.run("store", "ls").succeeded().stdout();
    assertThat(after.lines().filter(line -> line.startsWith("app:"))).hasSize(1);
    assertThat(after).contains("imported/base:1").contains("someone/else:2");
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
    assertThat(berth.run("plan", tree.toString()).succeeded().stdout()).contains("0 to build, 1 cached");
  }
}
