package dev.berth.cli;

import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.plan.ChangelogUpdate;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code berth docker-pkg update NAME DIRECTORY}: docker-pkg's changelog entries; the next build rebuilds them. */
@Command(name = "update", description = "Helper for preparing an update of an image tree, as docker-pkg update.")
final class DockerPkgUpdate implements Callable<Integer> {
  @ParentCommand DockerPkgCommand parent;
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "NAME", description = "A glob pattern for the base images being updated.")
  String select;

  @Parameters(index = "1", paramLabel = "DIRECTORY", description = "The directory to scan for images.")
  Path directory;

  @Option(names = "--reason", defaultValue = ChangelogUpdate.DEFAULT_REASON, description = "Reason for the update.")
  String reason;

  @Option(names = {"--version", "-v"}, description = "Specify a version for the image to upgrade.")
  String version;

  @Override
  public Integer call() throws Exception {
    Path configFile = parent.config();
    DockerPkgConfig config = DockerPkgConfig.load(configFile);
    System.out.println("== Step 0: scanning " + directory.toAbsolutePath());
    List<ChangelogUpdate.Planned> entries = UpdateCommand.update(directory, configFile, select, reason, version);
    System.out.println("Will update the following images: ");
    entries.forEach(entry -> System.out.println("* " + config.fullName(entry.image())));
    System.out.println("== Step 1: adding updates");
    return ExitCodes.OK;
  }
}
