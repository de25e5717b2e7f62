package dev.berth.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Json;
import dev.berth.plan.Journal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth status [TREE]}: the state table of the last run, from the tree's journal. */
@Command(name = "status", description = "Show the state of every image after the last run.")
final class StatusCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Row(@JsonProperty("name") String name, @JsonProperty("key") String key,
      @JsonProperty("state") String state, @JsonProperty("reason") String reason,
      @JsonProperty("cause") String cause, @JsonProperty("updated") String updated,
      @JsonProperty("dependsOn") List<String> dependsOn, @JsonProperty("worker") String worker) {}

  /** The state of an image no run has reached yet (the others are {@link dev.berth.plan.ImageState}'s labels). */
  static final String NEVER_RUN = "never-run";

  record Table(@JsonProperty("images") List<Row> images) {}

  @Override
  public Integer call() throws Exception {
    TreeScanner.Tree tree = treeOptions.scan(EventLines.all(System.err));
    Map<String, Journal.Entry> entries = Journal.open(tree.root(), Clock.systemUTC()).entries();
    List<Row> rows = new ArrayList<>();
    for (String name : tree.graph().select(treeOptions.select)) {
      Journal.Entry entry = entries.get(name);
      List<String> dependsOn = tree.graph().dependencies(name);
      rows.add(entry == null
          ? new Row(name, null, NEVER_RUN, null, null, null, dependsOn, null)
          : new Row(name, entry.key(), entry.state().label(), entry.reason(), entry.cause(), entry.updated(), dependsOn,
              entry.worker()));
    }
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(new Table(rows)), StandardCharsets.UTF_8));
    } else {
      for (Row row : rows) {
        System.out.printf("%-10s %-40s %-24s %s%n", row.state(), row.name(), row.key() == null ? "-" : row.key(),
            (row.cause() != null ? row.cause() : row.updated() == null ? "" : row.updated())
                + (row.worker() == null ? "" : "  on " + row.worker()));
      }
    }
    return ExitCodes.OK;
  }
}
