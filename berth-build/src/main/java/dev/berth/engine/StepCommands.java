package dev.berth.engine;

import dev.berth.spec.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands of the steps that run in the image (apt, pip, requirements, run), the same for every
 * builder: apt and pip clean up after themselves in the same step, so lists and caches never reach a
 * layer, unless a build-time cache mount keeps them out of the image anyway.
 */
public final class StepCommands {
  /** Where a requirements step finds its file inside the image while it runs. */
  public static final String REQUIREMENTS_PATH = StepSpec.CommandStep.REQUIREMENTS_PATH;

  private StepCommands() {}

  /**
   * @param shell what runs shell-form commands
   * @param caches build-time cache mounts of the image (paths inside it)
   */
  public static List<String> argv(StepSpec step, List<String> shell, List<String> caches) {
    return commandStep(step).argv(shell, caches);
  }

  /** Variables a step needs besides the image's environment. */
  public static Map<String, String> extraEnvironment(StepSpec step) {
    return step.extraEnvironment();
  }

  /** Whether the step installs packages (and so always gets the host's network). */
  public static boolean installsPackages(StepSpec step) {
    return step.installsPackages();
  }

  private static StepSpec.CommandStep commandStep(StepSpec step) {
    if (step instanceof StepSpec.CommandStep command) {
      return command;
    }
    throw new IllegalArgumentException("not a command step: " + step);
  }
}
