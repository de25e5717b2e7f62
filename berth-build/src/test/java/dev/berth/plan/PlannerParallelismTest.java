package dev.berth.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.InputCollector;
import dev.berth.engine.KeyedBuild;
import dev.berth.graph.TreeScanner;
import dev.berth.layer.Compression;
import dev.berth.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys are worked out on several threads: the plan (every key, action and reason, in order) is the
 * one a single thread makes, for new, failed, blocked, stored and changed images alike.
 */
@Tag("unit")
class PlannerParallelismTest {
  @TempDir Path work;
  Path tree;
  ContentStore store;

  /** Four roots, each with three children and two grandchildren per child; one root's file is missing. */
  @BeforeEach
  void aWideTree() throws Exception {
    tree = Files.createDirectories(work.resolve("tree"));
    store = ContentStore.open(work.resolve("store"));
    for (int r = 0; r < 4; r++) {
      String root = "r" + r;
      image(root, "scratch", r != 3);
      for (int c = 0; c < 3; c++) {
        String child = root + "-c" + c;
        image(child, root, true);
        for (int g = 0; g < 2; g++) {
          image(child + "-g" + g, child, true);
        }
      }
    }
  }

  private void image(String name, String base, boolean withFile) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    if (withFile) {
      Files.writeString(folder.resolve("file.txt"), "content of " + name + "\n");
    }
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: file.txt, dest: /" + name
        + ".txt}\n");
  }

  private List<String> plan(int parallelism) throws Exception {
    TreeScanner.Tree scanned = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT);
    try (Journal journal = Journal.open(tree, Clock.systemUTC())) {
      Plan plan = new Planner(build(), journal, Planner.RemoteCheck.NONE, parallelism)
          .plan(scanned.graph(), scanned.graph().order(), false);
      return plan.images().stream()
          .map(item -> item.name() + " " + item.key() + " " + item.action() + " " + item.reason()).toList();
    }
  }

  private KeyedBuild build() {
    return build(store);
  }

  private KeyedBuild build(ContentStore store) {
    return new KeyedBuild(store, new BuildSettings(Compression.GZIP, 0), new BaseResolver(store, tree),
        InputCollector.FileDigests.UNCACHED, request -> {
          throw new AssertionError("file-only tree");
        }, event -> { });
  }

  @Test
  void aPlanOnFourThreadsIsThePlanOfOne() throws Exception {
    List<String> one = plan(1);
    assertThat(one).hasSize(40);
    assertThat(one).filteredOn(line -> line.contains(" FAILED ")).hasSize(1);
    assertThat(one).filteredOn(line -> line.contains(" BLOCKED ")).hasSize(9);
    assertThat(one).filteredOn(line -> line.contains(" BUILD ")).hasSize(30);
    for (int run = 0; run < 5; run++) {
      assertThat(plan(4)).isEqualTo(one);
    }
  }

  @Test
  void storedAndChangedImagesArePlannedAlikeOnOneThreadAndOnMany() throws Exception {
    TreeScanner.Tree scanned = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT);
    try (Journal journal = Journal.open(tree, Clock.systemUTC())) {
      KeyedBuild build = build();
      Plan plan = new Planner(build, journal, Planner.RemoteCheck.NONE, 4).plan(scanned.graph(),
          scanned.graph().order(), false);
      new TreeBuild(build, journal, 2, (spec, image) -> { }, null, event -> { }).run(plan, false);
    }
    List<String> stored = plan(1);
    assertThat(stored).filteredOn(line -> line.contains(" CACHED ")).hasSize(30);
    assertThat(plan(4)).isEqualTo(stored);

    Files.writeString(tree.resolve("r1-c2").resolve("file.txt"), "changed\n");
    List<String> changed = plan(1);
    assertThat(changed).filteredOn(line -> line.contains(" BUILD ")).extracting(line -> line.split(" ")[0])
        .containsExactly("r1-c2", "r1-c2-g0", "r1-c2-g1");
    assertThat(plan(4)).isEqualTo(changed);
  }

  @Test
  void imagesBuiltFromAPlanOnOneThreadAndOnFourHaveTheSameManifests() throws Exception {
    java.util.Map<String, String> one = buildInto(ContentStore.open(work.resolve("store-1")), 1);
    java.util.Map<String, String> four = buildInto(ContentStore.open(work.resolve("store-4")), 4);
    assertThat(one).hasSize(30).isEqualTo(four);
  }

  /** Every reference the run made, with its manifest digest. */
  private java.util.Map<String, String> buildInto(ContentStore into, int parallelism) throws Exception {
    TreeScanner.Tree scanned = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT);
    java.util.Map<String, String> digests = new java.util.TreeMap<>();
    try (Journal journal = Journal.open(tree, Clock.systemUTC())) {
      KeyedBuild build = build(into);
      Plan plan = new Planner(build, journal, Planner.RemoteCheck.NONE, parallelism).plan(scanned.graph(),
          scanned.graph().order(), false);
      TreeBuild.RunResult result = new TreeBuild(build, journal, 2, (spec, image) -> { }, null, event -> { })
          .run(plan, false);
      for (TreeBuild.Result image : result.images()) {
        for (String reference : image.references() == null ? List.<String>of() : image.references()) {
          digests.put(reference, into.resolve(reference).orElseThrow().digest().toString());
        }
      }
    }
    return digests;
  }
}
