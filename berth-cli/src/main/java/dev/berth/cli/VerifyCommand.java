package dev.berth.cli;

import dev.berth.plan.TreeBuild;
import picocli.CommandLine.Command;

/** {@code berth verify [TREE]}: run the checks of images already built, again. */
@Command(name = "verify", description = "Run the checks of the tree's built images again (nothing is built).")
final class VerifyCommand extends BuildCommand {
  @Override
  TreeBuild.Phase phase() {
    return TreeBuild.Phase.VERIFY;
  }
}
