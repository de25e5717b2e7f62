package dev.berth.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.DockerBuilder;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.text.ErrorText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** {@code berth workers}: each worker's engine version, whether it answers, and which of a tree's keys it holds. */
public final class WorkerReport {
  private WorkerReport() {}

  /** One worker's line: {@code problem} is set when it cannot be used (unreachable, TLS, too old). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(@JsonProperty("url") String url, @JsonProperty("reachable") boolean reachable,
      @JsonProperty("version") String version, @JsonProperty("apiVersion") String apiVersion,
      @JsonProperty("problem") String problem, @JsonProperty("holds") List<String> holds,
      @JsonProperty("keys") int keys) {}

  /**
   * @param keys the tree's images by name, each with its key digest ({@code sha256:…})
   */
  public static List<Row> of(List<WorkerAddress> workers, boolean insecure, Map<String, String> keys) {
    List<Row> rows = new ArrayList<>();
    for (WorkerAddress address : workers) {
      DockerEngine.EngineVersion version = null;
      try {
        DockerEngine engine = DockerEngine.connect(address.url(), address.tls(), insecure, Duration.ofSeconds(30));
        version = engine.versionInfo();
        engine.requireSupported();
        Set<String> held = new TreeSet<>();
        for (DockerEngine.ImageSummary image : engine.images()) {
          held.add(image.labels().getOrDefault(DockerBuilder.KEY_LABEL, ""));
        }
        List<String> holds = keys.entrySet().stream().filter(entry -> held.contains(entry.getValue()))
            .map(Map.Entry::getKey).sorted().toList();
        rows.add(new Row(address.url(), true, version.version(), version.apiVersion(), null, holds, keys.size()));
      } catch (Exception e) {
        rows.add(new Row(address.url(), version != null, version == null ? null : version.version(),
            version == null ? null : version.apiVersion(), ErrorText.of(e), List.of(), keys.size()));
      }
    }
    return rows;
  }
}
