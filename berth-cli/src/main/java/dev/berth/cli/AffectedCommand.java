package dev.berth.cli;

import dev.berth.api.tree.Session;
import dev.berth.layer.Compression;
import dev.berth.oci.Json;
import dev.berth.plan.Affected;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth affected [TREE] --package NAME[@VERSION]}: the images that must rebuild for a package. */
@Command(name = "affected", description = {"List the images whose SBOM holds a package (dpkg or pip name),",
    "and every image built on them, with the reason."})
final class AffectedCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin TreeOptions treeOptions;

  @Option(names = "--package", required = true, paramLabel = "NAME[@[<]VERSION]", description = {"The package: any version, exactly VERSION, or (@<VERSION) any version below it", "in its package manager's order (dpkg's or PEP 440's)."})
  String packageName;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Override
  public Integer call() throws Exception {
    Affected.Query query = query(packageName);
    List<Affected.Image> images;
    try (Session session = new Session(treeOptions.request(), global.openStore(), Compression.GZIP, EventLines.warnings(System.err))) {
      Plan plan = session.plan(false, Planner.RemoteCheck.NONE);
      images = Affected.find(session.store, session.tree.graph(), plan, query);
    }
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(Map.of("images", images)), StandardCharsets.UTF_8));
    } else {
      for (Affected.Image image : images) {
        System.out.printf("%-40s %-24s %s%n", image.name(), image.key(), image.reason());
      }
    }
    return ExitCodes.OK;
  }

  static Affected.Query query(String text) {
    try {
      return Affected.Query.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
