package dev.berth.cli;

import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.graph.ImageGraph;
import dev.berth.graph.TreeScanner;
import dev.berth.plan.ChangelogUpdate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth update NAME}: a new changelog entry for NAME and everything built on it, as docker-pkg writes them. */
@Command(name = "update", description = {
    "Add a changelog entry to the images matching NAME (a glob, as docker-pkg's update) and to every image",
    "built on them; the next build rebuilds them all, running their package steps again."})
final class UpdateCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "NAME", description = "The image; docker-pkg matches it as *NAME:*.")
  String name;

  @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "TREE", description = "The tree (default: .).")
  Path tree;

  @Option(names = "--reason", defaultValue = ChangelogUpdate.DEFAULT_REASON,
      description = "What changed; the entry's text (default: ${DEFAULT-VALUE}).")
  String reason;

  @Option(names = {"--version", "-v"}, paramLabel = "V",
      description = "NAME's new version (default: the next -sN, from config's update_id).")
  String version;

  @Option(names = "--config", paramLabel = "FILE",
      description = "docker-pkg's config.yaml (default: the tree's, if any): distribution, update_id, fallback author.")
  Path config;

  @Override
  public Integer call() throws Exception {
    for (ChangelogUpdate.Planned entry : update(tree, config, name, reason, version)) {
      System.out.println(entry.image() + " " + entry.entry().version());
    }
    return ExitCodes.OK;
  }

  /** Writes the entries (shared with {@code berth docker-pkg update}) and returns them. */
  static List<ChangelogUpdate.Planned> update(Path tree, Path configFile, String name, String reason, String version)
      throws IOException {
    Path root = tree.toAbsolutePath().normalize();
    Path found = configFile != null ? configFile : root.resolve(DockerPkgConfig.FILE_NAME);
    DockerPkgConfig config = DockerPkgConfig.load(Files.isRegularFile(found) ? found : null, DockerPkgConfig.userFile());
    ImageGraph graph = TreeScanner.scan(root, new TreeScanner.Options(null, configFile, Map.of())).graph();
    var settings = ChangelogUpdate.settings(config, System.getenv(), UpdateCommand::git);
    List<ChangelogUpdate.Planned> entries = ChangelogUpdate.plan(graph, name, reason, version, settings,
        ZonedDateTime.now(), EventLines.all(System.err));
    ChangelogUpdate.write(entries);
    return entries;
  }

  /** {@code git config --get KEY}, as docker-pkg asks it for the author; empty when git has no answer. */
  static Optional<String> git(String key) {
    try {
      Process process = new ProcessBuilder("git", "config", "--get", key).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String value = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Optional.empty();
      }
      return process.exitValue() == 0 ? Optional.of(value) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
