package dev.berth.cli;

import dev.berth.api.tree.Session;
import dev.berth.engine.KeyInputs;
import dev.berth.layer.Compression;
import dev.berth.oci.Json;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth explain IMAGE [TREE]}: every input of an image's content key, with its digest. */
@Command(name = "explain", description = "Print every input of an image's content key with its digest.")
final class ExplainCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image of the tree.")
  String image;

  @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "TREE", description = "The tree (default: .).")
  String tree;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--compression", defaultValue = "gzip", description = "Layer compression (part of the key).")
  String compression;

  @Override
  public Integer call() throws Exception {
    TreeOptions treeOptions = CommandLine.populateCommand(new TreeOptions(), tree);
    KeyInputs inputs;
    try (Session session = new Session(treeOptions.request(), global.openStore(), Compression.parse(compression), EventLines.warnings(System.err))) {
      if (!session.tree.graph().images().containsKey(image)) {
        throw new UsageException("no image '" + image + "' in the tree " + session.tree.root());
      }
      Plan plan = session.plan(false, Planner.RemoteCheck.NONE, session.tree.graph().select(java.util.List.of(image)));
      Plan.Item item = plan.images().stream().filter(i -> i.name().equals(image)).findFirst().orElseThrow();
      if (item.prepared() == null) {
        throw new dev.berth.engine.BuildException(image + ": " + item.reason());
      }
      inputs = KeyInputs.of(item.prepared(), session.settings);
    }
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(inputs), StandardCharsets.UTF_8));
    } else {
      System.out.println(inputs.name() + " key " + inputs.key());
      for (KeyInputs.Input input : inputs.inputs()) {
        System.out.printf("  %-10s %-40s %s%n", input.kind(), input.name(), input.digest());
      }
    }
    return ExitCodes.OK;
  }
}
