package dev.berth.cli;

import dev.berth.api.tree.Session;
import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.graph.ImageGraph;
import dev.berth.layer.Compression;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.plan.Prune;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code berth docker-pkg prune DIRECTORY}: keep only each selected image's current version (with
 * {@code --nightly ID}: the nightly build {@code VERSION-ID}), in berth's store and in the Docker
 * engine, as docker-pkg prunes its daemon.
 */
@Command(name = "prune", description = "Prune local outdated versions of images in DIRECTORY, as docker-pkg prune.")
final class DockerPkgPrune implements Callable<Integer> {
  @ParentCommand DockerPkgCommand parent;
  @Mixin GlobalOptions global;

  @Option(names = "--select", paramLabel = "GLOB", description = "Images whose registry/namespace/name:tag matches (fnmatch).")
  String select;

  @Option(names = "--nightly", paramLabel = "NIGHTLY_IDENTIFIER",
      description = "Prune all but the nightly build indicated in the argument (VERSION-NIGHTLY_IDENTIFIER).")
  String nightly;

  @Parameters(paramLabel = "DIRECTORY", description = "The directory to scan for images.")
  Path directory;

  @Override
  public Integer call() throws Exception {
    Path configFile = parent.config();
    DockerPkgConfig config = DockerPkgConfig.load(configFile);
    String suffix = nightly == null ? "" : "-" + nightly;
    TreeOptions options = new TreeOptions();
    options.tree = directory;
    options.dockerPkgConfig = configFile;
    options.pull = "never";
    options.registries = new RegistryOptions();
    BuildSettings settings = BuildSettings.fromEnvironment(System.getenv(), Compression.GZIP).withVersionSuffix(suffix);
    System.out.println("== Step 0: scanning " + directory.toAbsolutePath() + " ==");
    try (Session session = new Session(options.request(), global.openStore(), dev.berth.engine.ImageBuilder.NAME, parent.log(), settings)) {
      ImageGraph graph = session.tree.graph();
      List<String> chosen = DockerPkgCommand.matching(graph, select, config::fullName, suffix);
      Plan plan = session.plan(false, Planner.RemoteCheck.NONE, chosen);
      System.out.println("Will prune old versions of the following images:");
      Map<String, String> current = new LinkedHashMap<>();
      for (Plan.Item item : plan.images()) {
        if (item.key() == null) {
          throw new IllegalStateException("cannot work out the current key of " + item.name() + ": " + item.reason());
        }
        current.put(item.name(), item.key());
        System.out.println("* " + DockerPkgCommand.label(graph, item.name(), config::fullName, suffix));
      }
      System.out.println("== Step 1: pruning images");
      Prune.Report report = new Prune(session.store).prune(current, Map.of(), 1);
      report.removedTags().forEach(tag -> System.out.println("* Removed " + tag));
      DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
      if (engine.available()) {
        for (DockerEngine.ImageSummary image : engine.images()) {
          for (String reference : image.repoTags()) {
            String repository = reference.substring(0, reference.lastIndexOf(':'));
            String tag = reference.substring(reference.lastIndexOf(':') + 1);
            String name = current.keySet().stream()
                .filter(candidate -> repository.equals(config.fullName(candidate)) || repository.equals(candidate))
                .findFirst().orElse(null);
            String kept = name == null ? null : DockerPkgCommand.label(graph, name, config::fullName, suffix);
            if (name != null && !kept.endsWith(":" + tag) && !tag.equals(current.get(name))) {
              System.out.println((engine.untag(reference) ? "* Removed " : "* Errors pruning old images for ") + reference
                  + " (Docker engine)");
            }
          }
        }
      }
    }
    return ExitCodes.OK;
  }
}
