package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berth killed in the middle of writing a layer leaves an intact store, and the next build succeeds. */
@Tag("integration")
@Tag("runc")
class CrashSafetyIT {
  @TempDir Path work;

  @Test
  void killDuringABuild() throws Exception {
    Path image = Files.createDirectories(work.resolve("big"));
    Files.createDirectories(image.resolve("data"));
    Random random = new Random(42);
    byte[] chunk = new byte[1 << 20];
    for (int file = 0; file < 6; file++) {
      try (OutputStream out = Files.newOutputStream(image.resolve("data/blob" + file))) {
        for (int i = 0; i < 25; i++) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }
    Files.writeString(image.resolve("image.yaml"), "base: scratch\ncopy:\n  - {src: data/, dest: /data}\n");
    Path store = work.resolve("store");
    Berth berth = new Berth(store);

    Process build = berth.start("build", image.toString());
    Path temp = store.resolve(".berth-tmp");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && !hasPartialBlob(temp)) {
      Thread.sleep(20);
    }
    assertThat(hasPartialBlob(temp)).as("the build was writing a layer").isTrue();
    Thread.sleep(300);
    assertThat(build.isAlive()).as("still building when killed").isTrue();
    build.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    Berth.Result fsck = berth.run("store", "fsck").succeeded();
    assertThat(fsck.stdout()).contains("all intact");
    assertThat(berth.run("store", "ls").succeeded().stdout()).isEmpty();

    Berth.Result again = berth.run("build", image.toString()).succeeded();
    assertThat(again.stdout()).startsWith("verified   big:");
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
    berth.run("store", "gc").succeeded();
    try (var left = Files.list(temp)) {
      assertThat(left).as("gc removes what the killed build left").isEmpty();
    }
  }

  private static boolean hasPartialBlob(Path temp) throws Exception {
    if (!Files.isDirectory(temp)) {
      return false;
    }
    try (var files = Files.list(temp)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("blob-") && f.toFile().length() > 0);
    }
  }
}
