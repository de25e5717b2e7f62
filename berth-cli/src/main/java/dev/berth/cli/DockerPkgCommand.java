package dev.berth.cli;

import dev.berth.api.dockerpkg.DockerPkgRun;
import dev.berth.graph.ImageGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import dev.berth.event.BuildListener;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth docker-pkg}: docker-pkg's command line, for teams moving from it. Same arguments and
 * defaults ({@code -c config.yaml}, build/update/prune, {@code --select GLOB} on
 * {@code registry/namespace/name:tag}), berth underneath, and an honest exit status.
 */
@Command(name = "docker-pkg", mixinStandardHelpOptions = true,
    subcommands = {DockerPkgBuild.class, DockerPkgUpdate.class, DockerPkgPrune.class},
    description = {"docker-pkg's command line over berth: build, update or prune a docker-pkg tree.",
        "Exit status 0 only when every selected image built, verified and (with credentials) published."})
final class DockerPkgCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-c", "--configfile"}, defaultValue = "config.yaml", paramLabel = "FILE",
      description = "docker-pkg's configuration (default: ${DEFAULT-VALUE}, from the current directory).")
  Path configFile;

  @Option(names = "--info", description = "Log to stderr instead of ./docker-pkg-build.log.")
  boolean info;

  @Option(names = "--debug", description = "Log to stderr instead of ./docker-pkg-build.log (as --info).")
  boolean debugLog;

  static final String LOG_FILE = "docker-pkg-build.log";

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "an action is required: build, update or prune");
  }

  /** The config file, which docker-pkg requires. */
  Path config() {
    if (!Files.isRegularFile(configFile)) {
      throw new IllegalArgumentException("Config file " + configFile + " does not exist");
    }
    return configFile.toAbsolutePath().normalize();
  }

  /** Where progress goes: stderr with --info/--debug, else appended to ./docker-pkg-build.log as docker-pkg does. */
  BuildListener log() {
    if (info || debugLog) {
      return EventLines.all(System.err);
    }
    Path file = Path.of(LOG_FILE);
    DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    return event -> {
      String line = EventLines.text(event);
      if (line == null) {
        return;
      }
      try {
        synchronized (DockerPkgCommand.class) {
          Files.writeString(file, time.format(LocalDateTime.now()) + " INFO berth: " + line + "\n",
              StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  boolean logsToFile() {
    return !info && !debugLog;
  }

  /** docker-pkg's tag suffix; see {@link DockerPkgRun#versionSuffix}. */
  static String versionSuffix(boolean nightly, boolean snapshot, LocalDateTime now) {
    return DockerPkgRun.versionSuffix(nightly, snapshot, now);
  }

  /** An image's docker-pkg label; see {@link DockerPkgRun#label}. */
  static String label(ImageGraph graph, String name, Function<String, String> fullName, String suffix) {
    return DockerPkgRun.label(graph, name, fullName, suffix);
  }

  /** The images whose label matches {@code glob}; see {@link DockerPkgRun#matching}. */
  static List<String> matching(ImageGraph graph, String glob, Function<String, String> fullName, String suffix) {
    return DockerPkgRun.matching(graph, glob, fullName, suffix);
  }
}
