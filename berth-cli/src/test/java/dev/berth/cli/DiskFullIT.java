package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store on a small tmpfs that fills up while a layer is written. */
@Tag("integration")
@Tag("runc")
class DiskFullIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path work;

  @Test
  void aLayerThatDoesNotFitFailsWithOneLineNamingTheStoreAndLeavesItClean() throws Exception {
    Path store = Files.createDirectories(work.resolve("small-store"));
    Berth.tool(work, "mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", store.toString());
    try {
      Berth berth = new Berth(store);
      String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
      berth.run("import", busybox, "--as", "test/busybox:1").succeeded();
      List<String> before = Berth.snapshot(store);
      Path image = Files.createDirectories(work.resolve("tree/big"));
      byte[] chunk = new byte[1 << 20];
      Random random = new Random(7);
      try (OutputStream out = Files.newOutputStream(image.resolve("data.bin"))) {
        for (int i = 0; i < 12; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
      Files.writeString(image.resolve("image.yaml"), "base: test/busybox:1\ncopy:\n  - {src: data.bin, dest: /data.bin}\n");

      Berth.Result full = berth.run("build", image.getParent().toString());
      assertThat(full.exitCode()).isEqualTo(1);
      List<String> failed = full.stdout().lines().filter(line -> line.startsWith("failed")).toList();
      assertThat(failed).hasSize(1);
      assertThat(failed.get(0)).contains("big").contains("no space left in the store " + store);
      assertThat(full.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(Leftovers.temporaryFiles(store)).as("partial files").isEmpty();
      assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
      assertThat(Berth.snapshot(store)).as("the store as it was").isEqualTo(before);
    } finally {
      Berth.tool(work, "umount", "-l", store.toString());
    }
  }
}
