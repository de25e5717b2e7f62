package dev.berth.plan;

import org.junit.jupiter.api.Tag;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.BaseResolver;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.InputCollector;
import dev.berth.engine.KeyedBuild;
import dev.berth.graph.GraphException;
import dev.berth.graph.TreeScanner;
import dev.berth.layer.Compression;
import dev.berth.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree of six file-only images: one base, two children, three grandchildren. */
@Tag("unit")
class TreeBuildTest {
  @TempDir Path work;
  Path tree;
  ContentStore store;

  @BeforeEach
  void sixImages() throws Exception {
    tree = Files.createDirectories(work.resolve("tree"));
    store = ContentStore.open(work.resolve("store"));
    image("base", "scratch");
    image("left", "base");
    image("right", "base");
    image("left-a", "left");
    image("left-b", "left");
    image("right-a", "right");
  }

  private void image(String name, String base) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("file.txt"), "content of " + name + "\n");
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: file.txt, dest: /" + name + ".txt}\n");
  }

  private TreeBuild.RunResult build(TreeBuild.Verifier verifier) throws Exception {
    return run(verifier, null, 2);
  }

  private TreeBuild.RunResult run(TreeBuild.Verifier verifier, TreeBuild.Publisher publisher, int jobs) throws Exception {
    return run(verifier, publisher, jobs, line -> { });
  }

  private TreeBuild.RunResult run(TreeBuild.Verifier verifier, TreeBuild.Publisher publisher, int jobs,
      BuildListener progress) throws Exception {
    TreeScanner.Tree scanned = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT);
    KeyedBuild build = new KeyedBuild(store, new BuildSettings(Compression.GZIP, 0), new BaseResolver(store, tree),
        InputCollector.FileDigests.UNCACHED, request -> {
          throw new AssertionError("file-only tree");
        }, progress);
    Journal journal = Journal.open(tree, Clock.systemUTC());
    Plan plan = new Planner(build, journal, Planner.RemoteCheck.NONE).plan(scanned.graph(), scanned.graph().order(), false);
    try (journal) {
      return new TreeBuild(build, journal, jobs, verifier, publisher, progress).run(plan, false);
    }
  }

  private static Map<String, ImageState> states(TreeBuild.RunResult result) {
    Map<String, ImageState> out = new TreeMap<>();
    result.images().forEach(image -> out.put(image.name(), image.state()));
    return out;
  }

  private static List<String> built(TreeBuild.RunResult result) {
    return result.images().stream().filter(i -> i.state() == ImageState.VERIFIED).map(TreeBuild.Result::name).sorted().toList();
  }

  private static final TreeBuild.Verifier PASS = (spec, image) -> { };

  @Test
  void changingOneGrandchildFileRebuildsExactlyThatImage() throws Exception {
    assertThat(built(build(PASS))).hasSize(6);
    Files.writeString(tree.resolve("left-b/file.txt"), "changed\n");
    TreeBuild.RunResult second = build(PASS);
    assertThat(built(second)).containsExactly("left-b");
    assertThat(second.images()).filteredOn(i -> i.name().equals("left-b")).first()
        .extracting(TreeBuild.Result::reason).isEqualTo("input changed: file.txt");
  }

  @Test
  void changingTheBaseRebuildsAllSix() throws Exception {
    build(PASS);
    Files.writeString(tree.resolve("base/file.txt"), "new base\n");
    TreeBuild.RunResult second = build(PASS);
    assertThat(built(second)).hasSize(6);
    assertThat(second.images()).filteredOn(i -> i.name().equals("left-a")).first()
        .extracting(TreeBuild.Result::reason).isEqualTo("parent left changed");
  }

  @Test
  void aFileLayerWrittenAheadIsUsedAndMakesTheSameImage() throws Exception {
    List<BuildEvent> progress = Collections.synchronizedList(new ArrayList<>());
    KeyedBuild hinted = keyedBuild(store, progress::add);
    var spec = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT).graph().spec("base");
    var prepared = hinted.prepare(spec);
    int blobsBefore = store.allBlobs().size();
    hinted.prefetch(prepared);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (store.allBlobs().size() == blobsBefore && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    var ahead = hinted.build(prepared, false);
    assertThat(progress).anyMatch(event -> event instanceof BuildEvent.StepFinished step && step.index() == 1
        && step.description().startsWith("copy") && step.cache() == BuildEvent.Cache.PREPARED);

    ContentStore alone = ContentStore.open(work.resolve("alone"));
    List<BuildEvent> unhintedProgress = new ArrayList<>();
    KeyedBuild unhinted = keyedBuild(alone, unhintedProgress::add);
    var outcome = unhinted.build(unhinted.prepare(spec), false);
    assertThat(unhintedProgress).noneMatch(event -> event instanceof BuildEvent.StepFinished step
        && step.cache() == BuildEvent.Cache.PREPARED);
    assertThat(outcome.manifest().digest()).isEqualTo(ahead.manifest().digest());
  }

  @Test
  void aBuildDoesNotWaitForFileLayersQueuedBehindOthers() throws Exception {
    List<BuildEvent> progress = Collections.synchronizedList(new ArrayList<>());
    TreeBuild.RunResult result = run(PASS, null, 1, progress::add);
    assertThat(built(result)).hasSize(6);
    assertThat(progress).filteredOn(event -> event instanceof BuildEvent.StepFinished step
        && step.description().startsWith("copy")).hasSize(6);
    assertThat(progress).filteredOn(event -> event instanceof BuildEvent.Built).hasSize(6);
    assertThat(progress).filteredOn(event -> event instanceof BuildEvent.Planned).hasSize(6);
  }

  private KeyedBuild keyedBuild(ContentStore into, BuildListener progress) {
    return new KeyedBuild(into, new BuildSettings(Compression.GZIP, 0), new BaseResolver(into, tree),
        InputCollector.FileDigests.UNCACHED, request -> {
          throw new AssertionError("file-only tree");
        }, progress);
  }

  @Test
  void changingNothingBuildsNothing() throws Exception {
    build(PASS);
    TreeBuild.RunResult second = build(PASS);
    assertThat(states(second).values()).containsOnly(ImageState.CACHED);
    assertThat(second.succeeded()).isTrue();
  }

  @Test
  void independentChildrenBuildAtTheSameTime() throws Exception {
    CountDownLatch bothChildrenVerifying = new CountDownLatch(2);
    TreeBuild.Verifier rendezvous = (spec, image) -> {
      if (spec.name().equals("left") || spec.name().equals("right")) {
        bothChildrenVerifying.countDown();
        assertThat(bothChildrenVerifying.await(20, TimeUnit.SECONDS)).as("the sibling ran at the same time").isTrue();
      }
    };
    assertThat(build(rendezvous).succeeded()).isTrue();
    List<String> log = Files.readAllLines(tree.resolve(".berth/journal.log"));
    Instant leftStart = at(log, "left building");
    Instant rightStart = at(log, "right building");
    Instant leftDone = at(log, "left verified");
    Instant rightDone = at(log, "right verified");
    assertThat(leftStart).isBefore(rightDone);
    assertThat(rightStart).isBefore(leftDone);
  }

  private static Instant at(List<String> log, String event) {
    String[] parts = event.split(" ");
    return log.stream().map(line -> dev.berth.oci.Json.tree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .filter(line -> line.path("image").asText().equals(parts[0]) && line.path("state").asText().equals(parts[1]))
        .map(line -> Instant.parse(line.get("time").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no '" + event + "' in the journal"));
  }

  @Test
  void theJournalSurvivesACrashBeforeItIsClosed() throws Exception {
    Journal journal = Journal.open(tree, Clock.systemUTC());
    journal.transition("base", ImageState.BUILDING, "k1", "new", null);
    journal.transition("base", ImageState.BUILT, "k1", null, null);
    Files.writeString(tree.resolve(".berth/journal.log"), "{\"image\":\"base\",\"sta", java.nio.file.StandardOpenOption.APPEND);
    Journal reopened = Journal.open(tree, Clock.systemUTC());
    assertThat(reopened.entry("base")).map(Journal.Entry::state).contains(ImageState.BUILT);
    assertThat(reopened.entry("base")).map(Journal.Entry::reason).contains("new");
  }

  @Test
  void aFailingCheckBlocksDependentsAndTheSiblingBranchGoesOn() throws Exception {
    List<String> published = Collections.synchronizedList(new ArrayList<>());
    TreeBuild.RunResult result = run((spec, image) -> {
      if (spec.name().equals("left")) {
        throw new IllegalStateException("check 'test -f /nope' exited 1");
      }
    }, (spec, image) -> {
      published.add(spec.name());
      return List.of(spec.name());
    }, 2);
    assertThat(result.succeeded()).isFalse();
    assertThat(states(result)).containsEntry("left", ImageState.FAILED)
        .containsEntry("left-a", ImageState.BLOCKED).containsEntry("left-b", ImageState.BLOCKED)
        .containsEntry("right", ImageState.PUBLISHED).containsEntry("right-a", ImageState.PUBLISHED)
        .containsEntry("base", ImageState.PUBLISHED);
    assertThat(published).containsExactlyInAnyOrder("base", "right", "right-a");
    assertThat(result.images()).filteredOn(i -> i.name().equals("left")).first()
        .extracting(TreeBuild.Result::cause).asString().contains("exited 1");
  }

  @Test
  void childrenAreBuiltWhileTheirParentIsCheckedAndReportedAfterIt() throws Exception {
    CountDownLatch childrenBuilt = new CountDownLatch(2);
    List<BuildEvent> progress = Collections.synchronizedList(new ArrayList<>());
    BuildListener listener = event -> {
      progress.add(event);
      if (event instanceof BuildEvent.Built built && (built.image().equals("left") || built.image().equals("right"))) {
        childrenBuilt.countDown();
      }
    };
    TreeBuild.RunResult result = run((spec, image) -> {
      if (spec.name().equals("base")) {
        assertThat(childrenBuilt.await(20, TimeUnit.SECONDS)).as("children built during the base's check").isTrue();
      }
    }, null, 1, listener);
    assertThat(built(result)).hasSize(6);
    List<String> verified = progress.stream().filter(event -> event instanceof BuildEvent.Verified)
        .map(event -> ((BuildEvent.Verified) event).image()).toList();
    assertThat(verified.indexOf("base")).isLessThan(verified.indexOf("left")).isLessThan(verified.indexOf("left-a"));
    assertThat(verified.indexOf("right")).isLessThan(verified.indexOf("right-a"));
  }

  @Test
  void aChildBuiltDuringItsParentsFailingCheckIsBlockedNeverVerifiedNorPublished() throws Exception {
    CountDownLatch leftChecked = new CountDownLatch(1);
    List<String> published = Collections.synchronizedList(new ArrayList<>());
    List<BuildEvent> progress = Collections.synchronizedList(new ArrayList<>());
    TreeBuild.RunResult result = run((spec, image) -> {
      if (spec.name().equals("left-a")) {
        leftChecked.countDown();
      }
      if (spec.name().equals("left")) {  // fails only once its child has been built and checked
        assertThat(leftChecked.await(20, TimeUnit.SECONDS)).isTrue();
        throw new IllegalStateException("test.sh exited 1");
      }
    }, (spec, image) -> {
      published.add(spec.name());
      return List.of(spec.name());
    }, 2, progress::add);
    assertThat(states(result)).containsEntry("left", ImageState.FAILED)
        .containsEntry("left-a", ImageState.BLOCKED).containsEntry("left-b", ImageState.BLOCKED);
    assertThat(result.images()).filteredOn(i -> i.name().equals("left-a")).first()
        .extracting(TreeBuild.Result::cause).isEqualTo("blocked by left (failed)");
    assertThat(published).containsExactlyInAnyOrder("base", "right", "right-a");
    assertThat(progress).noneMatch(event -> event instanceof BuildEvent.Verified verified
        && verified.image().startsWith("left"));
    try (Journal journal = Journal.open(tree, Clock.systemUTC())) {
      assertThat(journal.entry("left-a")).map(Journal.Entry::verifiedKey).isEmpty();
      assertThat(journal.entry("left-a")).map(Journal.Entry::state).contains(ImageState.BLOCKED);
    }
    // the next run checks the parent again; the child, in the store already, is checked before it counts
    TreeBuild.RunResult second = build(PASS);
    assertThat(states(second)).containsEntry("left", ImageState.VERIFIED).containsEntry("left-a", ImageState.VERIFIED);
  }

  @Test
  void aFailedPublishIsAFailure() throws Exception {
    TreeBuild.RunResult result = run(PASS, (spec, image) -> {
      throw new java.io.IOException("registry said 500");
    }, 1);
    assertThat(result.succeeded()).isFalse();
    assertThat(states(result)).containsEntry("base", ImageState.FAILED).containsEntry("left", ImageState.BLOCKED);
  }

  @Test
  void aRunAfterAFailureResumesWithoutRebuildingWhatIsInTheStore() throws Exception {
    Files.writeString(tree.resolve("right/image.yaml"), "base: base\ncopy:\n  - {src: missing.txt, dest: /x}\n");
    TreeBuild.RunResult first = build(PASS);
    assertThat(states(first)).containsEntry("right", ImageState.FAILED).containsEntry("right-a", ImageState.BLOCKED);
    Files.writeString(tree.resolve("right/image.yaml"), "base: base\ncopy:\n  - {src: file.txt, dest: /right.txt}\n");
    TreeBuild.RunResult second = build(PASS);
    assertThat(built(second)).containsExactly("right", "right-a");
    assertThat(states(second)).containsEntry("base", ImageState.CACHED).containsEntry("left-a", ImageState.CACHED);
  }

  @Test
  void cyclesAndDuplicatesAreRefusedAndAnUnknownBareNameIsAReference() throws Exception {
    image("x", "y");
    image("y", "x");
    assertThatThrownBy(() -> TreeScanner.scan(tree, TreeScanner.Options.DEFAULT)).isInstanceOf(GraphException.class)
        .hasMessageMatching("dependency cycle: (x -> y -> x|y -> x -> y)");
    Files.writeString(tree.resolve("y/image.yaml"), "base: ghost\n");
    // A bare name that no image of the tree has is a Docker reference: docker.io/library/ghost:latest.
    assertThat(TreeScanner.scan(tree, TreeScanner.Options.DEFAULT).graph().parent("y")).isEmpty();
    Files.writeString(tree.resolve("y/image.yaml"), "name: x\nbase: scratch\n");
    assertThatThrownBy(() -> TreeScanner.scan(tree, TreeScanner.Options.DEFAULT)).hasMessageContaining("two images are named 'x'");
  }

  @Test
  void selectTakesTheParentsItNeeds() throws Exception {
    TreeScanner.Tree scanned = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT);
    assertThat(scanned.graph().select(List.of("left-*"))).containsExactly("base", "left", "left-a", "left-b");
    assertThat(scanned.graph().withDependents("right")).containsExactly("right", "right-a");
    assertThatThrownBy(() -> scanned.graph().select(List.of("nothing*"))).hasMessageContaining("matches no image");
  }
}
