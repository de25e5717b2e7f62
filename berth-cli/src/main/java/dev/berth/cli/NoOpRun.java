package dev.berth.cli;

import dev.berth.cli.replay.JournalLines;
import dev.berth.cli.replay.ReplayInputs;
import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.plan.ImageState;
import dev.berth.plan.Journal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run of a tree that may turn out to have changed nothing, and so be replayed next time: where its
 * journal lines begin, and, once it is over, the inputs to stamp when every line it journaled says an
 * image was planned or found cached.
 */
final class NoOpRun {
  private final Path tree;
  private final long journalOffset;

  private NoOpRun(Path tree, long journalOffset) {
    this.tree = tree;
    this.journalOffset = journalOffset;
  }

  /** Notes where the journal of {@code tree} (the scanned root) ends, before the run writes to it. */
  static NoOpRun begin(Path tree) throws IOException {
    Path root = tree.toAbsolutePath().normalize();
    return new NoOpRun(root, Journal.logOffset(root));
  }

  /**
   * Whether an image of {@code graph} reads what no stat of the tree covers: a base from a file
   * (oci:DIR, docker-archive:FILE) or content from the network (ADD of a URL or a git ref).
   */
  static boolean readsOutsideTree(dev.berth.graph.ImageGraph graph) {
    return graph.images().values().stream()
        .anyMatch(spec -> spec.base().startsWith("oci:") || spec.base().startsWith("docker-archive:")
            || spec.steps().stream().anyMatch(dev.berth.spec.StepSpec::fetchesContent));
  }

  /**
   * The inputs of the run just over, when {@code changedNothing} (the command's own conditions: no
   * registry, no output file, no forced build) holds and its journal lines are all planned or cached.
   * They are the tree, {@code files} (such as a config file outside it, the store's index), docker-pkg's
   * user configuration, and the {@code .gitignore} and {@code .git} of every folder above the tree.
   */
  Optional<ReplayInputs> inputs(boolean changedNothing, List<Path> files) throws IOException {
    if (!changedNothing) {
      return Optional.empty();
    }
    Optional<List<Journal.LogLine>> lines = Journal.linesAfter(tree, journalOffset);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    List<JournalLines.Transition> transitions = new ArrayList<>();
    for (Journal.LogLine line : lines.get()) {
      if (line.state() != ImageState.PLANNED && line.state() != ImageState.CACHED || line.built() != null
          || line.step() != null || line.cause() != null || line.worker() != null) {
        return Optional.empty();
      }
      transitions.add(new JournalLines.Transition(line.image(), line.state().label(), line.key(), line.reason()));
    }
    List<Path> watched = new ArrayList<>(files);
    watched.add(DockerPkgConfig.userFile());
    for (Path dir = tree.getParent(); dir != null; dir = dir.getParent()) {
      watched.add(dir.resolve(".gitignore"));
      watched.add(dir.resolve(".git"));
    }
    return Optional.of(new ReplayInputs(List.of(tree), watched,
        List.of(new JournalLines(Journal.logFile(tree), transitions))));
  }
}
