package dev.berth.cli;

import dev.berth.graph.ImageGraph;
import dev.berth.graph.TreeScanner;
import dev.berth.plan.Journal;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth graph [TREE]}: the dependency graph, with each image's last state. */
@Command(name = "graph", description = "Draw the dependency graph (Graphviz dot or Mermaid), with states.")
final class GraphCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;

  @Option(names = "--format", defaultValue = "dot", paramLabel = "dot|mermaid", description = "dot or mermaid (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() throws Exception {
    TreeScanner.Tree tree = treeOptions.scan(EventLines.all(System.err));
    ImageGraph graph = tree.graph();
    Map<String, Journal.Entry> states = Journal.open(tree.root(), Clock.systemUTC()).entries();
    boolean mermaid = switch (format) {
      case "dot" -> false;
      case "mermaid" -> true;
      default -> throw new UsageException("--format is dot or mermaid, not '" + format + "'");
    };
    StringBuilder out = new StringBuilder(mermaid ? "graph TD\n" : "digraph berth {\n  rankdir=TB;\n");
    int index = 0;
    Map<String, String> ids = new java.util.HashMap<>();
    for (String name : graph.select(treeOptions.select)) {
      String id = "n" + index++;
      ids.put(name, id);
      String state = states.containsKey(name) ? states.get(name).state().label() : "never run";
      if (mermaid) {
        out.append("  ").append(id).append("[\"").append(name).append("<br/>").append(state).append("\"]\n");
      } else {
        out.append("  ").append(id).append(" [label=\"").append(name).append("\\n").append(state)
            .append("\", color=").append(colour(state)).append("];\n");
      }
    }
    for (String name : ids.keySet().stream().sorted().toList()) {
      String parent = graph.parent(name).orElse(null);
      if (parent != null && ids.containsKey(parent)) {
        out.append("  ").append(ids.get(parent)).append(mermaid ? " --> " : " -> ").append(ids.get(name))
            .append(mermaid ? "\n" : ";\n");
      }
    }
    if (!mermaid) {
      out.append("}\n");
    }
    System.out.print(out);
    return ExitCodes.OK;
  }

  private static String colour(String state) {
    return switch (state) {
      case "failed" -> "red";
      case "blocked" -> "orange";
      case "published", "verified", "cached", "built" -> "darkgreen";
      default -> "gray";
    };
  }
}
