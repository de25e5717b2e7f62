package dev.berth.api.tree;

import dev.berth.engine.docker.DockerEngine;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.plan.Prune;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drops a tree's superseded images: from the store (tags no current key reaches, keeping the
 * {@code keep} most recent builds of each image, then what nothing names), and from a Docker engine
 * the names berth made there for the tree.
 */
public final class TreePrune {
  private TreePrune() {}

  /** What was pruned: the store's report, and the engine's (empty when the engine was left alone or absent). */
  public record Result(Prune.Report store, Optional<EngineResult> engine) {}

  /** The names pruned in the engine at {@code address}. */
  public record EngineResult(String address, List<Prune.EngineName> names) {
    public EngineResult {
      names = List.copyOf(names);
    }

    public long removed() {
      return names.stream().filter(name -> !name.inUse()).count();
    }
  }

  /**
   * @param engine whether to prune the Docker engine's names too (when one answers)
   * @throws IllegalStateException when an image's current key cannot be worked out: nothing is pruned then
   */
  public static Result prune(Session session, int keep, boolean engine) throws IOException {
    Plan plan = session.plan(false, Planner.RemoteCheck.NONE);
    Map<String, String> current = new LinkedHashMap<>();
    for (Plan.Item item : plan.images()) {
      if (item.key() == null) {
        throw new IllegalStateException("cannot work out the current key of " + item.name() + ": " + item.reason()
            + "; prune keeps everything until the tree plans cleanly");
      }
      current.put(item.name(), item.key());
    }
    Map<String, List<String>> history = Prune.history(session.journal);
    Prune prune = new Prune(session.store);
    Prune.Report report = prune.prune(current, history, keep);
    DockerEngine docker = DockerEngine.fromEnvironment(System.getenv());
    if (!engine || !docker.available()) {
      return new Result(report, Optional.empty());
    }
    return new Result(report, Optional.of(new EngineResult(docker.address(),
        prune.pruneEngine(docker, current, history, keep))));
  }
}
