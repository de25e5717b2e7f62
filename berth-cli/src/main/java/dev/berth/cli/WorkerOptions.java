package dev.berth.cli;

import dev.berth.engine.docker.EngineEndpoint;
import dev.berth.fleet.Fleet;
import dev.berth.fleet.WorkerAddress;
import dev.berth.graph.TreeConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --worker URL[,tls=DIR]}: the Docker engines a tree is built on, instead of berth.yaml's {@code workers}. */
final class WorkerOptions {
  @Option(names = "--worker", paramLabel = "URL[,tls=DIR]",
      description = {"Build on this Docker engine (tcp://HOST:PORT with mutual TLS from DIR's ca.pem, cert.pem,",
          "key.pem; or unix:///PATH); repeatable; replaces berth.yaml's workers. Implies --push."})
  List<String> workers = new ArrayList<>();

  @Option(names = "--worker-stall", paramLabel = "SECONDS",
      description = "A worker silent this long is marked down and its image moves on (default: 600).")
  Integer stallSeconds;

  @Option(names = "--claim-lease", paramLabel = "SECONDS",
      description = {"How long this run's claim on a key holds other runs back unless renewed; a run renews",
          "its claims every third of it while it builds (default: 600)."})
  Integer claimLeaseSeconds;

  /** The workers asked for: --worker, else berth.yaml's; empty: build here. */
  List<WorkerAddress> chosen(TreeConfig config) {
    if (!workers.isEmpty()) {
      return workers.stream().map(WorkerAddress::parse).toList();
    }
    return config.workers().stream()
        .map(worker -> new WorkerAddress(worker.url(), worker.tls() == null ? null : Path.of(worker.tls()))).toList();
  }

  /** Connects to the chosen workers (null when there are none); one line naming the first that fails. */
  Fleet connect(TreeConfig config, boolean insecure, int slots, dev.berth.event.BuildListener log) throws IOException {
    List<WorkerAddress> chosen = chosen(config);
    if (chosen.isEmpty()) {
      return null;
    }
    Duration stall = stallSeconds == null ? EngineEndpoint.DEFAULT_STALL_LIMIT : Duration.ofSeconds(stallSeconds);
    if (claimLeaseSeconds != null && claimLeaseSeconds < 1) {
      throw new UsageException("--claim-lease is a number of seconds of at least 1, not " + claimLeaseSeconds);
    }
    Duration lease = claimLeaseSeconds == null ? Fleet.DEFAULT_CLAIM_LEASE : Duration.ofSeconds(claimLeaseSeconds);
    return Fleet.connect(chosen, insecure, stall, slots, lease, log);
  }
}
