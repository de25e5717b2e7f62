package dev.berth.cli;

import dev.berth.plan.TreeBuild;
import picocli.CommandLine.Command;

/** {@code berth publish [TREE]}: push images already built and verified. */
@Command(name = "publish", description = "Push the tree's built and verified images to the registry (nothing is built).")
final class PublishCommand extends BuildCommand {
  @Override
  TreeBuild.Phase phase() {
    return TreeBuild.Phase.PUBLISH;
  }

  @Override
  public Integer call() throws Exception {
    push = true;
    return super.call();
  }
}
