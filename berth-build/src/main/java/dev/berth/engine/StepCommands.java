package dev.berth.engine;

import dev.berth.spec.StepSpec;
import dev.berth.spec.StepVisitor;
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

  /** The file of the image folder a requirements step installs from, for the step's runner to show. */
  public static java.util.Optional<String> requirementsFile(StepSpec step) {
    return step.accept(new StepVisitor.Partial<java.util.Optional<String>, RuntimeException>() {
      @Override
      public java.util.Optional<String> otherwise(StepSpec other) {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<String> requirements(StepSpec.Requirements requirements) {
        return java.util.Optional.of(requirements.file());
      }
    });
  }

  private static StepSpec.CommandStep commandStep(StepSpec step) {
    return step.accept(new StepVisitor.Partial<StepSpec.CommandStep, RuntimeException>() {
      @Override
      public StepSpec.CommandStep otherwise(StepSpec other) {
        throw new IllegalArgumentException("not a command step: " + other);
      }

      @Override
      public StepSpec.CommandStep apt(StepSpec.Apt apt) {
        return apt;
      }

      @Override
      public StepSpec.CommandStep pip(StepSpec.Pip pip) {
        return pip;
      }

      @Override
      public StepSpec.CommandStep requirements(StepSpec.Requirements requirements) {
        return requirements;
      }

      @Override
      public StepSpec.CommandStep run(StepSpec.Run run) {
        return run;
      }
    });
  }
}
