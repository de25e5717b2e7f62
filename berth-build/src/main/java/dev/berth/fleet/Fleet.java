package dev.berth.fleet;

import dev.berth.engine.docker.DockerEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The workers of a run and where each image goes: to a worker that already holds its parent
 * (sticky), else to the least loaded one, at most {@code slots} images per worker at once. A worker
 * that stops answering is marked down and gets no work; it is probed again with growing pauses
 * ({@link #FIRST_PROBE}, doubling up to {@link #LAST_PROBE}) and takes work again once it answers.
 */
public final class Fleet {
  private final List<Worker> workers;
  private final int slots;
  private final BuildListener log;
  /** Which workers hold which image (by key digest): built there, pulled there, or found there at the start. */
  private final Map<String, Set<Worker>> holders = new HashMap<>();
  private final Predicate<Worker> probe;
  private final Duration firstProbe;
  private final Clock clock;
  private ScheduledExecutorService prober;
  private final Duration claimLease;
  private final Duration allDownGrace;

  /** How long a run's claim on a key holds other runs back unless renewed ({@link KeyClaims}). */
  public static final Duration DEFAULT_CLAIM_LEASE = Duration.ofMinutes(10);

  static final Duration FIRST_PROBE = Duration.ofSeconds(1);
  static final Duration LAST_PROBE = Duration.ofSeconds(30);
  /** How long a run whose workers are all down waits for one to answer a probe before its images fail. */
  static final Duration ALL_DOWN_GRACE = Duration.ofSeconds(60);

  Fleet(List<Worker> workers, int slots, BuildListener log) {
    this(workers, slots, log, Fleet::answers, FIRST_PROBE, Clock.systemUTC(), DEFAULT_CLAIM_LEASE);
  }

  /** @param probe whether a worker marked down answers now */
  Fleet(List<Worker> workers, int slots, BuildListener log, Predicate<Worker> probe, Duration firstProbe, Clock clock,
      Duration claimLease) {
    this(workers, slots, log, probe, firstProbe, clock, claimLease, Duration.ZERO);
  }

  /** @param allDownGrace how long {@link #acquire} waits for a probe to re-admit a worker when all are down */
  Fleet(List<Worker> workers, int slots, BuildListener log, Predicate<Worker> probe, Duration firstProbe, Clock clock,
      Duration claimLease, Duration allDownGrace) {
    this.allDownGrace = allDownGrace;
    this.workers = List.copyOf(workers);
    this.slots = slots;
    this.log = log;
    this.probe = probe;
    this.firstProbe = firstProbe;
    this.clock = clock;
    this.claimLease = claimLease;
  }

  /**
   * Connects to every worker and checks its engine API; the first that is unreachable, fails TLS or
   * is too old stops it with one line naming it.
   */
  public static Fleet connect(List<WorkerAddress> addresses, boolean insecure, Duration stallLimit, int slots,
      Duration claimLease, BuildListener log) throws IOException {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a fleet needs at least one worker");
    }
    List<Worker> workers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (WorkerAddress address : addresses) {
      if (!seen.add(address.url())) {
        throw new IllegalArgumentException("worker " + address.url() + " is named twice");
      }
      DockerEngine engine = DockerEngine.connect(address.url(), address.tls(), insecure, stallLimit);
      workers.add(new Worker(address, engine, engine.requireSupported()));
    }
    Fleet fleet = new Fleet(workers, slots, log, Fleet::answers, FIRST_PROBE, Clock.systemUTC(), claimLease,
        ALL_DOWN_GRACE);
    for (Worker worker : workers) {
      for (DockerEngine.ImageSummary image : worker.engine().images()) {
        String key = image.labels().get(dev.berth.engine.DockerBuilder.KEY_LABEL);
        if (key != null) {
          fleet.holders.computeIfAbsent(key, k -> new HashSet<>()).add(worker);
        }
      }
    }
    return fleet;
  }

  /** How long this run's claims hold other runs back unless renewed. */
  public Duration claimLease() {
    return claimLease;
  }

  public List<Worker> workers() {
    return workers;
  }

  /**
   * Waits for a worker with a free slot and takes the slot: one holding {@code parentKey} (null: none)
   * first, then the least loaded. When every worker is down, it waits for a probe to re-admit one,
   * for the grace this fleet was made with; empty when none answers by then.
   */
  public synchronized Optional<Worker> acquire(String parentKey) throws InterruptedException {
    long giveUp = System.nanoTime() + allDownGrace.toNanos();
    while (true) {
      List<Worker> up = workers.stream().filter(worker -> worker.downBecause == null).toList();
      if (up.isEmpty()) {
        long left = giveUp - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
        continue;
      }
      Set<Worker> holding = parentKey == null ? Set.of() : holders.getOrDefault(parentKey, Set.of());
      Optional<Worker> chosen = up.stream().filter(worker -> worker.load < slots)
          .min(Comparator.<Worker>comparingInt(worker -> holding.contains(worker) ? 0 : 1)
              .thenComparingInt(worker -> worker.load));
      if (chosen.isPresent()) {
        chosen.get().load++;
        return chosen;
      }
      wait();
    }
  }

  public synchronized void release(Worker worker) {
    worker.load--;
    notifyAll();
  }

  /** Records that {@code worker} holds the image with key digest {@code key}. */
  public synchronized void holds(Worker worker, String key) {
    holders.computeIfAbsent(key, k -> new HashSet<>()).add(worker);
  }

  /** The worker stopped answering: no work goes to it until a probe finds it answering again. */
  public synchronized void markDown(Worker worker, String reason) {
    if (worker.downBecause == null) {
      worker.downBecause = reason;
      worker.downSince = clock.instant();
      log.on(new BuildEvent.WorkerDown(worker.name(), reason));
      scheduleProbe(worker, firstProbe);
    }
    notifyAll();
  }

  private synchronized void scheduleProbe(Worker worker, Duration delay) {
    if (prober == null) {
      prober = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "berth-fleet-probe");
        thread.setDaemon(true);
        return thread;
      });
    }
    if (!prober.isShutdown()) {
      prober.schedule(() -> probeNow(worker, delay), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One probe of a worker that is down: up again, or probed later with twice the pause (at most {@link #LAST_PROBE}). */
  private void probeNow(Worker worker, Duration pause) {
    if (probe.test(worker)) {
      readmit(worker);
    } else {
      Duration next = pause.multipliedBy(2);
      scheduleProbe(worker, next.compareTo(LAST_PROBE) > 0 ? LAST_PROBE : next);
    }
  }

  private synchronized void readmit(Worker worker) {
    if (worker.downBecause != null) {
      worker.downBecause = null;
      log.on(new BuildEvent.WorkerUp(worker.name(), Duration.between(worker.downSince, clock.instant())));
      notifyAll();
    }
  }

  /** Whether the worker is marked down now. */
  public synchronized boolean isDown(Worker worker) {
    return worker.downBecause != null;
  }

  /** Stops probing the workers that are down (at the end of a run). */
  public synchronized void stopProbing() {
    if (prober != null) {
      prober.shutdownNow();
    }
  }

  /** Whether the worker answers now (after a request to it failed). */
  public static boolean answers(Worker worker) {
    try {
      worker.engine().versionInfo();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
