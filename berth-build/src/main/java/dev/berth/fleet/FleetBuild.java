package dev.berth.fleet;

import dev.berth.engine.BuildSettings;
import dev.berth.engine.ContentKey;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.engine.KeyedBuild;
import dev.berth.engine.docker.EngineUnavailableException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.plan.ImageState;
import dev.berth.plan.Journal;
import dev.berth.plan.Plan;
import dev.berth.text.ErrorText;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * Runs a plan on a fleet of Docker engines with the registry as the shared cache. An image is
 * dispatched once its parent's key tag is in the registry; a worker builds, verifies and pushes it
 * ({@link WorkerJob}). The key tag is checked before a build and again before a push, so two runs on
 * one tree each skip what the other has published and leave every key tag naming a complete, verified
 * image. A worker that stops answering is marked down and its image goes to another; an image that
 * fails on its merits (a failing RUN, a check) fails, its dependents are blocked.
 */
public final class FleetBuild {
  private final Fleet fleet;
  private final FleetRegistry registry;
  private final Journal journal;
  private final WorkerJob job;
  private final KeyClaims claims;
  private final BuildListener log;
  private ClaimRenewal renewal;
  private ExecutorService pool;
  /** Spent claims being deleted off the critical path; the run waits for them before it returns. */
  private final List<CompletableFuture<Void>> deletions = java.util.Collections.synchronizedList(new ArrayList<>());

  /** @param tree the tree's folder: with this machine's name, it owns the run's claims ({@link KeyClaims}) */
  public FleetBuild(Fleet fleet, FleetRegistry registry, ContentStore store, BuildSettings settings, KeyedBuild build,
      Journal journal, java.nio.file.Path tree, BuildListener log) {
    this.fleet = fleet;
    this.registry = registry;
    this.journal = journal;
    this.job = new WorkerJob(store, settings, build, registry, log);
    this.claims = claims(registry, store, tree, fleet.claimLease());
    this.log = log;
  }

  private static KeyClaims claims(FleetRegistry registry, ContentStore store, java.nio.file.Path tree,
      java.time.Duration lease) {
    try {
      return new KeyClaims(registry, store, owner(tree), lease, java.time.Clock.systemUTC());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Who claims for a run on {@code tree}: this machine and the tree's folder. */
  static String owner(java.nio.file.Path tree) {
    return hostName() + ":" + tree.toAbsolutePath();
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  public TreeBuild.RunResult run(Plan plan) {
    for (Plan.Item item : plan.images()) {
      journal.transition(item.name(), ImageState.PLANNED, item.key(), item.reason(), null);
    }
    int threads = Math.max(1, fleet.workers().size() * 8);
    pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "berth-fleet");
      thread.setDaemon(true);
      return thread;
    });
    try (ClaimRenewal renewal = new ClaimRenewal(claims, log)) {
      this.renewal = renewal;
      prepareClaims(plan);
      Map<String, CompletableFuture<TreeBuild.Result>> futures = new HashMap<>();
      for (Plan.Item item : plan.images()) {
        List<CompletableFuture<TreeBuild.Result>> needed = item.dependsOn().stream()
            .map(futures::get).filter(Objects::nonNull).toList();
        CompletableFuture<TreeBuild.Result> firstFailure = CompletableFuture.allOf(needed.toArray(CompletableFuture[]::new))
            .thenApply(ignored -> needed.stream().map(CompletableFuture::join)
                .filter(result -> result.state().isFailure()).findFirst().orElse(null));
        futures.put(item.name(), firstFailure.thenApplyAsync(failed -> runOne(item, failed), pool));
      }
      List<TreeBuild.Result> results = new ArrayList<>();
      for (Plan.Item item : plan.images()) {
        results.add(futures.get(item.name()).join());
      }
      synchronized (deletions) {
        CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).join();
      }
      return new TreeBuild.RunResult(results);
    } finally {
      pool.shutdownNow();
      fleet.stopProbing();
    }
  }

  /** The claims' config goes into every repository to build at once, in parallel, before the first claim. */
  private void prepareClaims(Plan plan) {
    List<CompletableFuture<Void>> uploads = new ArrayList<>();
    for (Plan.Item item : plan.images()) {
      if (item.action() == Plan.Action.BUILD) {
        uploads.add(CompletableFuture.runAsync(() -> {
          try {
            claims.prepare(item.name());
          } catch (IOException | RuntimeException e) {  // claiming will try again, and report
            log.on(new BuildEvent.Warning(item.name(), "the claim's config could not be pushed: " + ErrorText.of(e)));
          }
        }, pool));
      }
    }
    CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).join();
  }

  private TreeBuild.Result runOne(Plan.Item item, TreeBuild.Result parent) {
    if (parent != null) {
      return finish(item, ImageState.BLOCKED, "blocked by " + parent.name() + " (" + parent.state().label() + ")",
          null, null);
    }
    if (item.action() == Plan.Action.FAILED || item.action() == Plan.Action.BLOCKED) {
      return finish(item, item.action() == Plan.Action.FAILED ? ImageState.FAILED : ImageState.BLOCKED,
          item.reason(), null, null);
    }
    if (item.action() == Plan.Action.CACHED) {
      return finish(item, ImageState.CACHED, null, List.of(registry.repository(item.name()) + ":" + item.key()), null);
    }
    PreparedImage prepared = item.prepared();
    ContentKey parentKey = prepared.base().treeParent().orElse(null);
    boolean waitLogged = false;
    while (true) {
      Descriptor parentManifest;
      try {
        Optional<Descriptor> published = registry.keyed(item.name(), item.key());
        if (published.isPresent()) {
          log.on(new BuildEvent.PublishedElsewhere(item.name(), item.key()));
          return finish(item, ImageState.CACHED, null, List.of(registry.repository(item.name()) + ":" + item.key()
              + "@" + published.get().digest()), null);
        }
        parentManifest = parentKey == null ? null : registry.keyed(prepared.spec().base(),
            parentKey.tag()).orElseThrow(() -> new IOException(
                "the parent " + prepared.spec().base() + " is not in the registry under its key"));
        Optional<KeyClaims.Claim> claim = claims.read(item.name(), item.key());
        if (claim.isPresent() && !claim.get().owner().equals(claims.owner())) {
          if (claim.get().inForce(java.time.Instant.now())) {  // another run builds it now: wait for its key tag
            if (!waitLogged) {
              log.on(new BuildEvent.WaitingForOtherRun(item.name(), claim.get().owner()));
              waitLogged = true;
            }
            Thread.sleep(CLAIM_POLL.toMillis());
            continue;
          }
          if (!claim.get().released()) {  // expired: that run stopped renewing it
            log.on(new BuildEvent.ClaimTakenOver(item.name(), claim.get().owner()));
          }
        }
        claims.claim(item.name(), item.key());
        if (claims.heldByOther(item.name(), item.key()).isPresent()) {
          continue;  // another run claimed in the same instant and wrote last: it builds, this run waits
        }
        renewal.hold(item.name(), item.key());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return finish(item, ImageState.INTERRUPTED, "berth was interrupted", null, null);
      } catch (IOException | RuntimeException e) {
        return finish(item, ImageState.FAILED, "registry: " + ErrorText.of(e), null, null);
      }
      Optional<Worker> acquired;
      try {
        acquired = fleet.acquire(parentKey == null ? null : parentKey.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return finish(item, ImageState.INTERRUPTED, "berth was interrupted", null, null);
      }
      if (acquired.isEmpty()) {
        return finish(item, ImageState.FAILED, "no worker is up", null, null);
      }
      Worker worker = acquired.get();
      ImageState[] stage = {ImageState.BUILDING};
      try {
        journal.transition(item.name(), ImageState.BUILDING, item.key(), item.reason(), null, worker.name());
        WorkerJob.Done done = job.run(prepared, parentManifest, worker, fleet, state -> {
          stage[0] = state;
          journal.transition(item.name(), state, item.key(), null, null, worker.name());
        });
        if (!done.pushedHere()) {
          log.on(new BuildEvent.PublishedElsewhere(item.name(), item.key()));
        } else {
          log.on(new BuildEvent.Published(item.name(), done.references()));
        }
        renewal.drop(item.name(), item.key());
        deletions.add(CompletableFuture.runAsync(() -> removeClaim(item), pool));  // children need not wait for it
        return finish(item, ImageState.PUBLISHED, null, done.references(), worker);
      } catch (EngineUnavailableException e) {
        fleet.markDown(worker, e.getMessage());
      } catch (IOException | RuntimeException e) {
        if (!(e instanceof dev.berth.engine.BuildException) && !Fleet.answers(worker)) {
          fleet.markDown(worker, ErrorText.of(e));
        } else {
          renewal.drop(item.name(), item.key());
          release(item);
          return finish(item, ImageState.FAILED, phase(stage[0]) + " failed: " + ErrorText.of(e), null, worker);
        }
      } finally {
        fleet.release(worker);
      }
      log.on(new BuildEvent.Rescheduled(item.name(), worker.name()));
    }
  }

  static final java.time.Duration CLAIM_POLL = java.time.Duration.ofMillis(500);

  /** The key is published: its claim is spent and deleted (automatic pruning). */
  private void removeClaim(Plan.Item item) {
    try {
      claims.remove(item.name(), item.key());
    } catch (IOException | RuntimeException e) {
      log.on(new BuildEvent.Warning(item.name(), "the spent claim could not be deleted: " + ErrorText.of(e)));
    }
  }

  /** A failed build gives its key back, so a waiting run tries it (and fails alike, or not). */
  private void release(Plan.Item item) {
    try {
      claims.release(item.name(), item.key());
    } catch (IOException | RuntimeException e) {
      log.on(new BuildEvent.Warning(item.name(), "the claim could not be released: " + ErrorText.of(e)));
    }
  }

  private static String phase(ImageState stage) {
    return switch (stage) {
      case BUILDING, BUILT -> "build";
      case VERIFYING, VERIFIED -> "verify";
      default -> "publish";
    };
  }

  private TreeBuild.Result finish(Plan.Item item, ImageState state, String cause, List<String> references,
      Worker worker) {
    journal.transition(item.name(), state, item.key(), null, cause, worker == null ? null : worker.name());
    if (state.isFailure()) {
      log.on(state == ImageState.BLOCKED ? new BuildEvent.Blocked(item.name(), cause)
          : new BuildEvent.Failed(item.name(), cause));
    }
    return new TreeBuild.Result(item.name(), item.key(), state, item.reason(), cause, references, item.dependsOn(),
        worker == null ? null : worker.name());
  }
}
