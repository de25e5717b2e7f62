package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images that need the same snapshots at the same moment: one parent with a RUN step and eight
 * children with RUN steps, built cold with {@code -j 8}, and by two berth processes sharing a store.
 * Each build starts from a store holding only the busybox base, so every snapshot is unpacked by
 * racing builds.
 */
@Tag("integration")
@Tag("runc")
class ConcurrentBuildsIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final int CHILDREN = 8;

  @TempDir static Path work;
  static Path baseStore;
  static Path tree;

  @BeforeAll
  static void treeAndBase() throws Exception {
    baseStore = work.resolve("base-store");
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    new Berth(baseStore).run("import", busybox, "--as", "test/busybox:1").succeeded();
    tree = wideTree(work.resolve("tree"));
  }

  /** One parent and eight children on it, each with a tiny RUN step. */
  static Path wideTree(Path root) throws Exception {
    Path parent = Files.createDirectories(root.resolve("parent"));
    Files.writeString(parent.resolve("image.yaml"), "base: test/busybox:1\nrun:\n  - echo parent > /parent.txt\n");
    for (int i = 1; i <= CHILDREN; i++) {
      Path child = Files.createDirectories(root.resolve("child" + i));
      Files.writeString(child.resolve("image.yaml"), "base: parent\nrun:\n  - echo " + i + " > /child.txt\n");
    }
    return root;
  }

  /** A store with only the base in it, and a tree with no journal: a cold build. */
  static Path coldStore(String name) throws Exception {
    Path store = work.resolve(name);
    Berth.tool(work, "cp", "-a", baseStore.toString(), store.toString());
    Berth.tool(work, "rm", "-rf", tree.resolve(".berth").toString());
    return store;
  }

  /**
   * Thirty cold builds, in this JVM (berth's {@code Main.run}, as the jar runs it) to spare thirty JVM
   * starts: the race is between the build threads of one process.
   */
  @Test
  void wideTreeBuiltColdThirtyTimesWithEightJobs() throws Exception {
    List<String> failures = new ArrayList<>();
    int runs = 30;
    for (int run = 0; run < runs; run++) {
      Path store = coldStore("cold-" + run);
      int exit = Main.run("build", tree.toString(), "-j", "8", "--store", store.toString());
      ContentStore built = ContentStore.open(store);
      long images = built.references().stream().filter(named -> !dev.berth.store.StoreReferrers.isReferrersName(
          named.annotations().get(dev.berth.oci.Descriptor.REF_NAME))).count();  // not their SBOMs and provenance
      if (exit != 0 || images != 2 + CHILDREN || !built.fsck().clean()) {
        failures.add("run " + run + ": exit " + exit + ", " + images + " images");
      }
      Berth.tool(work, "rm", "-rf", store.toString());
    }
    System.out.printf("wide tree, cold, -j 8: %d builds, %d failures%n", runs, failures.size());
    assertThat(failures).isEmpty();
  }

  @Test
  void twoProcessesBuildTheSameTreeIntoOneStoreTenTimes() throws Exception {
    List<String> failures = new ArrayList<>();
    int runs = 10;
    for (int run = 0; run < runs; run++) {
      Path store = coldStore("shared-" + run);
      Berth berth = new Berth(store);
      Process first = berth.start("build", tree.toString(), "-j", "8");
      Process second = berth.start("build", tree.toString(), "-j", "8");
      for (Process process : List.of(first, second)) {
        String out = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0 || out.lines().filter(l -> l.matches("(verified|cached) +.*")).count() != 1 + CHILDREN) {
          failures.add("run " + run + ": exit " + process.exitValue() + ": " + out);
        }
      }
      if (!ContentStore.open(store).fsck().clean()) {
        failures.add("run " + run + ": fsck found damage");
      }
      Berth.tool(work, "rm", "-rf", store.toString());
    }
    System.out.printf("two processes, one store: %d runs (%d builds), %d failures%n", runs, 2 * runs, failures.size());
    assertThat(failures).isEmpty();
  }
}
