package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth killed in the middle of a tree build; the next run builds only what was not finished. */
@Tag("integration")
@Tag("runc")
class KillTreeBuildIT {
  @TempDir Path work;

  @Test
  void theNextRunRebuildsOnlyWhatWasNotFinished() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    image(tree, "base", "scratch", 1);
    image(tree, "small", "base", 1);
    image(tree, "huge", "base", 250);  // its layer is written ahead from the start, for seconds
    image(tree, "huge-child", "huge", 1);
    Berth berth = new Berth(work.resolve("store"));

    Process build = berth.start("build", tree.toString(), "-j", "1");
    Path log = tree.resolve(".berth/journal.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    waitFor(log, "\"image\":\"huge\"", "\"state\":\"building\"", deadline);
    assertThat(build.isAlive()).as("killed while building 'huge'").isTrue();
    build.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    String status = berth.run("status", tree.toString()).succeeded().stdout();
    assertThat(status).containsPattern("building +huge ");
    Berth.Result again = berth.run("build", tree.toString(), "-j", "1").succeeded();
    List<String> rows = again.stdout().lines().toList();
    assertThat(rows).anyMatch(row -> row.matches("cached +base:.*"));
    assertThat(rows).anyMatch(row -> row.matches("verified +huge:.*"));
    assertThat(rows).anyMatch(row -> row.matches("verified +huge-child:.*"));
    assertThat(again.stderr()).doesNotContain("base: building");
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
  }

  private static void waitFor(Path log, String image, String state, long deadline) throws Exception {
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.contains(image) && l.contains(state))) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("never saw " + image + " " + state);
  }

  private static void image(Path tree, String name, String base, int megabytes) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Random random = new Random(name.hashCode());
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(folder.resolve("data.bin"))) {
      for (int i = 0; i < megabytes; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: data.bin, dest: /" + name + ".bin}\n");
  }
}
