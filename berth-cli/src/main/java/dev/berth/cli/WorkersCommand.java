package dev.berth.cli;

import dev.berth.api.tree.Session;
import dev.berth.api.publish.Publishing;
import dev.berth.fleet.ClaimPruning;
import dev.berth.fleet.WorkerReport;
import dev.berth.layer.Compression;
import dev.berth.oci.Json;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth workers [TREE]}: the tree's Docker engines, their versions, and what each holds of the tree. */
@Command(name = "workers", description = {"List the Docker engines that build the tree (berth.yaml's workers or",
    "--worker): version, whether they answer, and which of the tree's current keys each already holds."})
final class WorkersCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;
  @Mixin WorkerOptions workerOptions;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json.")
  String output;

  @Option(names = "--prune-claims", description = {"Instead of listing: delete the tree's spent key claims from the",
      "registry (expired, released, or whose key is published); claims in force stay."})
  boolean pruneClaims;

  record Pruning(@com.fasterxml.jackson.annotation.JsonProperty("pruned") List<ClaimPruning.Pruned> pruned) {}

  record Listing(@com.fasterxml.jackson.annotation.JsonProperty("workers") List<WorkerReport.Row> workers) {}

  @Override
  public Integer call() throws Exception {
    if (!output.equals("text") && !output.equals("json")) {
      throw new UsageException("--output is text or json, not '" + output + "'");
    }
    Map<String, String> keys = new TreeMap<>();
    List<WorkerReport.Row> rows;
    try (Session session = new Session(treeOptions.request(), global.openStore(), Compression.GZIP, EventLines.warnings(System.err))) {
      if (pruneClaims) {
        return prune(session);
      }
      List<dev.berth.fleet.WorkerAddress> workers = workerOptions.chosen(session.tree.config());
      if (workers.isEmpty()) {
        throw new UsageException("the tree has no workers: add workers: to berth.yaml or give --worker");
      }
      for (Plan.Item item : session.plan(false, Planner.RemoteCheck.NONE).images()) {
        if (item.prepared() != null) {
          keys.put(item.name(), item.prepared().key().toString());
        }
      }
      rows = WorkerReport.of(workers, treeOptions.registries.insecure, keys);
    }
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(new Listing(rows)), StandardCharsets.UTF_8));
    } else {
      for (WorkerReport.Row row : rows) {
        System.out.printf("%-32s %-12s %-8s %s%n", row.url(), row.version() == null ? "-" : row.version(),
            row.apiVersion() == null ? "-" : "api " + row.apiVersion(),
            row.problem() != null ? row.problem() : "up, holds " + row.holds().size() + "/" + row.keys() + " keys");
      }
    }
    return rows.stream().allMatch(row -> row.problem() == null) ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private int prune(Session session) throws java.io.IOException {
    Publishing publishing = Publishing.from(null, session.tree.config().registry(), treeOptions.registries.clients(),
        session.store).orElseThrow(() -> new UsageException("--prune-claims needs berth.yaml's registry"));
    List<String> images = List.copyOf(session.tree.graph().images().keySet());
    List<ClaimPruning.Pruned> pruned = ClaimPruning.prune(publishing.fleetRegistry(), session.store, images);
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(new Pruning(pruned)), StandardCharsets.UTF_8));
    } else {
      for (ClaimPruning.Pruned claim : pruned) {
        System.out.printf("pruned %s:%s (%s)%n", claim.image(), claim.tag(), claim.why());
      }
      System.out.printf("%d spent claim%s deleted%n", pruned.size(), pruned.size() == 1 ? "" : "s");
    }
    return ExitCodes.OK;
  }
}
