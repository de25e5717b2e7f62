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

/**
 * The workers of a run and where each image goes: to a worker that already holds its parent
 * (sticky), else to the least loaded one, at most {@code slots} images per worker at once. A worker
 * that stops answering is marked down for the rest of the run.
 */
public final class Fleet {
  private final List<Worker> workers;
  private final int slots;
  private final BuildListener log;
  /** Which workers hold which image (by key digest): built there, pulled there, or found there at the start. */
  private final Map<String, Set<Worker>> holders = new HashMap<>();

  Fleet(List<Worker> workers, int slots, BuildListener log) {
    this.workers = List.copyOf(workers);
    this.slots = slots;
    this.log = log;
  }

  /**
   * Connects to every worker and checks its engine API; the first that is unreachable, fails TLS or
   * is too old stops it with one line naming it.
   */
  public static Fleet connect(List<WorkerAddress> addresses, boolean insecure, Duration stallLimit, int slots,
      BuildListener log) throws IOException {
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
    Fleet fleet = new Fleet(workers, slots, log);
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

  public List<Worker> workers() {
    return workers;
  }

  /**
   * Waits for a worker with a free slot and takes the slot: one holding {@code parentKey} (null: none)
   * first, then the least loaded. Empty when every worker is down.
   */
  public synchronized Optional<Worker> acquire(String parentKey) throws InterruptedException {
    while (true) {
      List<Worker> up = workers.stream().filter(worker -> worker.downBecause == null).toList();
      if (up.isEmpty()) {
        return Optional.empty();
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

  /** The worker stopped answering: no more work goes to it in this run. */
  public synchronized void markDown(Worker worker, String reason) {
    if (worker.downBecause == null) {
      worker.downBecause = reason;
      log.on(new BuildEvent.WorkerDown(worker.name(), reason));
    }
    notifyAll();
  }

  /** Whether the worker answers now (after a request to it failed). */
  public boolean answers(Worker worker) {
    try {
      worker.engine().versionInfo();
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
