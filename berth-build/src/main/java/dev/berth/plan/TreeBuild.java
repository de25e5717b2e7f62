package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.engine.KeyedBuild;
import dev.berth.spec.ImageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.time.Duration;

/**
 * Runs a plan: images in dependency order, independent branches at once (at most {@code jobs}),
 * each through build → verify → publish, every transition journaled. A failure marks the image
 * failed and its dependents blocked; the other branches go on. An image is built as soon as its
 * parents are built and checked while theirs are checked (on a pool of its own, {@code 2 × jobs}),
 * but it is marked verified, published and reported only once its parents have ended well: when a
 * parent's check fails, the image is blocked as before, though it may have been built and checked.
 */
public final class TreeBuild {
  private final KeyedBuild build;
  private final Journal journal;
  private final int jobs;
  /** Images checked (verified, published) at once besides those built: checks mostly wait on runc, dockerd, registries. */
  private final int checks;
  private final Verifier verifier;
  private final Publisher publisher;
  private final BuildListener log;
  private boolean debug;
  private Fetcher fetcher = Fetcher.NONE;
  private Phase phase = Phase.BUILD;

  /** What a run does: build (then verify and publish), only verify again, or only publish. */
  public enum Phase { BUILD, VERIFY, PUBLISH }

  /** Runs an image's checks; throws with the checks' output when one fails or cannot run. */
  public interface Verifier {
    void verify(ImageSpec spec, KeyedBuild.Outcome image) throws Exception;

    /** How {@link #verify} runs {@code spec}'s commands under emulation; empty when natively or none run in the image. */
    default java.util.Optional<dev.berth.emulation.Execution.Emulated> emulation(ImageSpec spec) {
      return java.util.Optional.empty();
    }
  }

  /** Brings an image the registry has under its key into the store, instead of building it. */
  public interface Fetcher {
    dev.berth.oci.Descriptor fetch(PreparedImage prepared) throws Exception;

    Fetcher NONE = prepared -> {
      throw new IllegalStateException(prepared.spec().name() + " is neither in the store nor fetchable");
    };
  }

  /** Pushes an image with its tags; returns the references it pushed, none when the image is not published. */
  public interface Publisher {
    List<String> publish(ImageSpec spec, KeyedBuild.Outcome image) throws Exception;
  }

  public TreeBuild(KeyedBuild build, Journal journal, int jobs, Verifier verifier, Publisher publisher,
      BuildListener log) {
    if (jobs < 1) {
      throw new IllegalArgumentException("-j must be at least 1");
    }
    this.build = build;
    this.journal = journal;
    this.jobs = jobs;
    this.checks = 2 * jobs;
    this.verifier = verifier;
    this.publisher = publisher;
    this.log = log;
    build.timingSteps((image, index, label, cached, started, took) -> journal.recordStep(image,
        new Journal.StepRecord(index, label, cached, started.toString(), took.toMillis())));
  }

  /** How one image of the run ended; {@code worker}: the fleet engine that built it, when one did. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Result(
      @JsonProperty("name") String name,
      @JsonProperty("key") String key,
      @JsonProperty("state") ImageState state,
      @JsonProperty("reason") String reason,
      @JsonProperty("cause") String cause,
      @JsonProperty("references") List<String> references,
      @JsonProperty("dependsOn") List<String> dependsOn,
      @JsonProperty("worker") String worker) {
    /** A result of this machine's own build (no fleet worker). */
    public Result(String name, String key, ImageState state, String reason, String cause, List<String> references,
        List<String> dependsOn) {
      this(name, key, state, reason, cause, references, dependsOn, null);
    }
  }

  /** The whole run: one result per planned image, in plan order. */
  public record RunResult(@JsonProperty("images") List<Result> images) {
    public boolean succeeded() {
      return images.stream().noneMatch(result -> result.state().isFailure());
    }
  }

  public RunResult run(Plan plan, boolean force) {
    for (Plan.Item item : plan.images()) {
      journal.transition(item.name(), ImageState.PLANNED, item.key(), item.reason(), null);
      log.on(new BuildEvent.Planned(item.name(), item.key(), item.action().label(), item.reason()));
    }
    ThreadFactory threads = new ThreadFactory() {
      private final AtomicInteger count = new AtomicInteger();

      @Override
      public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "berth-build-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      }
    };
    if (phase == Phase.BUILD) {
      plan.images().stream().filter(item -> item.action() == Plan.Action.BUILD)
          .forEach(item -> build.prefetch(item.prepared()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(jobs, threads);
    ExecutorService checking = Executors.newFixedThreadPool(checks, threads);
    ExecutorService ending = Executors.newFixedThreadPool(checks, threads);  // not queued behind checks
    try {
      Map<String, CompletableFuture<Stage>> builds = new HashMap<>();
      Map<String, CompletableFuture<Result>> futures = new HashMap<>();
      for (Plan.Item item : plan.images()) {
        List<CompletableFuture<Stage>> parentsBuilt = item.dependsOn().stream().map(builds::get)
            .filter(java.util.Objects::nonNull).toList();
        List<CompletableFuture<Result>> parentsDone = item.dependsOn().stream().map(futures::get)
            .filter(java.util.Objects::nonNull).toList();
        // built once its parents are built, checked at once, ended (journaled, published) after its parents' ends
        CompletableFuture<Stage> built = CompletableFuture.allOf(parentsBuilt.toArray(CompletableFuture[]::new))
            .thenApplyAsync(ignored -> parentsBuilt.stream().anyMatch(parent -> parent.join().ending() != null)
                ? Stage.SKIPPED : buildOne(item, force), pool);
        builds.put(item.name(), built);
        CompletableFuture<Stage> checked = built.thenApplyAsync(stage -> stage.ending() == null ? checkOne(item, stage)
            : stage, checking);
        CompletableFuture<Result> firstFailure = CompletableFuture.allOf(parentsDone.toArray(CompletableFuture[]::new))
            .thenApply(ignored -> parentsDone.stream().map(CompletableFuture::join)
                .filter(result -> result.state().isFailure()).findFirst().orElse(null));
        futures.put(item.name(), checked.thenCombineAsync(firstFailure, (stage, failed) -> endOne(item, stage, failed),
            ending));
      }
      List<Result> results = new ArrayList<>();
      for (Plan.Item item : plan.images()) {
        results.add(futures.get(item.name()).join());
      }
      return new RunResult(results);
    } finally {
      pool.shutdownNow();
      checking.shutdownNow();
      ending.shutdownNow();
      build.stopPrefetching();
    }
  }

  /**
   * An image between its stages: its build outcome, whether its checks passed (and how long they
   * took), or how it ends when it cannot go on; nothing of the end is journaled or reported until
   * its parents have ended.
   */
  private record Stage(KeyedBuild.Outcome outcome, boolean alreadyVerified, Duration verified, Ending ending) {
    static final Stage SKIPPED = new Stage(null, false, null, new Ending(ImageState.BLOCKED, null, null, null));
  }

  private record Ending(ImageState state, String cause, List<String> references, Throwable error) {}

  private Stage buildOne(Plan.Item item, boolean force) {
    if (item.action() == Plan.Action.FAILED || item.action() == Plan.Action.BLOCKED) {
      return new Stage(null, false, null, new Ending(item.action() == Plan.Action.FAILED ? ImageState.FAILED
          : ImageState.BLOCKED, item.reason(), null, null));
    }
    PreparedImage prepared = item.prepared();
    String key = prepared.key().tag();
    if (phase != Phase.BUILD && item.action() == Plan.Action.BUILD) {
      return new Stage(null, false, null, new Ending(ImageState.FAILED,
          "not built (" + item.reason() + "); run berth build first", null, null));
    }
    KeyedBuild.Outcome outcome;
    boolean builtNow = item.action() == Plan.Action.BUILD;
    long started = System.nanoTime();
    try {
      if (builtNow) {
        journal.transition(item.name(), ImageState.BUILDING, key, item.reason(), null);
        log.on(new BuildEvent.BuildStarted(item.name(), key, item.reason()));
      }
      if (item.action() == Plan.Action.CACHED && build.existing(prepared).isEmpty()) {
        log.on(new BuildEvent.Fetching(item.name(), key));
        fetcher.fetch(prepared);
      }
      outcome = build.build(prepared, force && builtNow);
      if (outcome.built()) {
        journal.transition(item.name(), ImageState.BUILT, key, null, null);
        journal.recordBuild(item.name(), new Journal.BuildRecord(prepared.key().digest().toString(),
            prepared.base().recorded(), Planner.BuildRecords.specDigest(prepared), Planner.BuildRecords.inputDigests(prepared),
            prepared.version()));
        log.on(new BuildEvent.Built(item.name(), key, outcome.manifest().digest(), since(started)));
      }
    } catch (Exception | AssertionError e) {
      return new Stage(null, false, null, new Ending(ImageState.FAILED, "build failed: " + Planner.messageOf(e), null, e));
    }
    // rebuilt afresh (--force, --affected-by), the image may hold other package versions than the one verified
    boolean alreadyVerified = !(force && outcome.built()) && journal.entry(item.name())
        .map(entry -> key.equals(entry.verifiedKey())).orElse(false);
    return new Stage(outcome, alreadyVerified, null, null);
  }

  /** Runs the checks of a built image, at the same time as its parents' (whose ends decide whether it counts). */
  private Stage checkOne(Plan.Item item, Stage built) {
    KeyedBuild.Outcome outcome = built.outcome();
    if (phase == Phase.PUBLISH && !built.alreadyVerified()) {
      return new Stage(outcome, false, null, new Ending(ImageState.FAILED, "not verified; run berth verify first",
          outcome.refNames(), null));
    }
    if (built.alreadyVerified() && phase != Phase.VERIFY) {
      return built;
    }
    journal.transition(item.name(), ImageState.VERIFYING, item.prepared().key().tag(), null, null);
    long verifying = System.nanoTime();
    try {
      verifier.verify(item.prepared().spec(), outcome);
    } catch (Exception | AssertionError e) {
      return new Stage(outcome, false, null, new Ending(ImageState.FAILED, "verify failed: " + Planner.messageOf(e),
          outcome.refNames(), e));
    }
    return new Stage(outcome, built.alreadyVerified(), since(verifying), null);
  }

  private Result endOne(Plan.Item item, Stage stage, Result parent) {
    if (parent != null && parent.state().isFailure()) {
      return finish(item, ImageState.BLOCKED, "blocked by " + parent.name() + " (" + parent.state().label() + ")", null);
    }
    if (stage.ending() != null) {
      if (stage.ending().error() != null) {
        debug(item, stage.ending().error());
      }
      return finish(item, stage.ending().state(), stage.ending().cause(), stage.ending().references());
    }
    PreparedImage prepared = item.prepared();
    String key = prepared.key().tag();
    KeyedBuild.Outcome outcome = stage.outcome();
    boolean alreadyVerified = stage.alreadyVerified();
    if (stage.verified() != null) {
      journal.transition(item.name(), ImageState.VERIFIED, key, null, null);
      log.on(new BuildEvent.Verified(item.name(), key, stage.verified(),
          verifier.emulation(prepared.spec()).orElse(null)));
    }
    if (publisher == null) {
      return finish(item, alreadyVerified && !outcome.built() && phase != Phase.VERIFY ? ImageState.CACHED
          : ImageState.VERIFIED, null, outcome.refNames());
    }
    journal.transition(item.name(), ImageState.PUBLISHING, key, null, null);
    try {
      List<String> pushed = publisher.publish(prepared.spec(), outcome);
      if (pushed.isEmpty()) {  // nothing of this image goes to a registry (a Dockerfile build stage)
        return finish(item, ImageState.VERIFIED, null, outcome.refNames());
      }
      log.on(new BuildEvent.Published(item.name(), pushed));
      return finish(item, ImageState.PUBLISHED, null, pushed);
    } catch (Exception | AssertionError e) {
      debug(item, e);
      return finish(item, ImageState.FAILED, "publish failed: " + Planner.messageOf(e), outcome.refNames());
    }
  }

  /** {@code berth verify} and {@code berth publish} run one phase on images already built. */
  public TreeBuild phase(Phase value) {
    this.phase = value;
    return this;
  }

  /** How images the plan found in the registry are brought into the store. */
  public TreeBuild fetching(Fetcher value) {
    this.fetcher = value;
    return this;
  }

  /** With --debug, the whole stack trace of an image's failure goes to the log. */
  public TreeBuild debugging(boolean enabled) {
    this.debug = enabled;
    return this;
  }

  private void debug(Plan.Item item, Throwable e) {
    if (debug) {
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      log.on(new BuildEvent.Trace(item.name(), trace.toString()));
    }
  }

  private static Duration since(long started) {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  private Result finish(Plan.Item item, ImageState state, String cause, List<String> references) {
    if (state.isFailure() && journal.interrupted()) {  // stopped by Ctrl-C or SIGTERM, not a failure of its own
      return new Result(item.name(), item.key(), ImageState.INTERRUPTED, item.reason(), "berth was interrupted",
          references, item.dependsOn());
    }
    journal.transition(item.name(), state, item.key(), null, cause);
    if (state == ImageState.BLOCKED) {
      log.on(new BuildEvent.Blocked(item.name(), cause));
    } else if (state.isFailure()) {
      log.on(new BuildEvent.Failed(item.name(), cause));
    }
    return new Result(item.name(), item.key(), state, item.reason(), cause, references, item.dependsOn());
  }
}
