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
  public static final String REQUIREMENTS_PATH = "/run/berth/requirements.txt";

  private StepCommands() {}

  /**
   * @param shell what runs shell-form commands
   * @param caches build-time cache mounts of the image (paths inside it)
   */
  public static List<String> argv(StepSpec step, List<String> shell, List<String> caches) {
    boolean aptCache = caches.stream().anyMatch(path -> path.startsWith("/var/cache/apt"));
    boolean listsCache = caches.stream().anyMatch(path -> path.startsWith("/var/lib/apt"));
    boolean pipCache = caches.stream().anyMatch(path -> path.endsWith("/.cache/pip") || path.contains("/.cache/pip/"));
    if (step instanceof StepSpec.Apt apt) {
      // Package descriptions in other languages are never needed in a build (a third of the index
      // downloads), and dpkg's fsync per file buys nothing in a step that is discarded when it fails.
      String script = "apt-get update -qq -o Acquire::Languages=none"
          + " && apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "
          + String.join(" ", apt.packages())
          + (aptCache ? "" : " && apt-get clean && rm -rf /var/cache/apt/*.bin")
          + (listsCache ? "" : " && rm -rf /var/lib/apt/lists/*")
          // dpkg's and update-alternatives' logs carry the time of the install, and ldconfig's
          // aux-cache the files' inodes and times: kept, the layer would differ from one build to the next.
          + " && rm -rf /var/log/apt/* /var/cache/debconf/*-old"
          + " /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache";
      return List.of("/bin/sh", "-c", script);
    }
    List<String> pip = new ArrayList<>(List.of("python3", "-m", "pip", "install", "--disable-pip-version-check",
        "--root-user-action=ignore"));
    if (!pipCache) {
      pip.add("--no-cache-dir");
    }
    if (step instanceof StepSpec.Pip packages) {
      pip.addAll(packages.packages());
      return pip;
    }
    if (step instanceof StepSpec.Requirements) {
      pip.addAll(List.of("-r", REQUIREMENTS_PATH));
      return pip;
    }
    if (step instanceof StepSpec.Run run) {
      return run.command().argv(shell);
    }
    throw new IllegalArgumentException("not a command step: " + step);
  }

  /** Variables a step needs besides the image's environment. */
  public static Map<String, String> extraEnvironment(StepSpec step) {
    if (step instanceof StepSpec.Apt) {
      return Map.of("DEBIAN_FRONTEND", "noninteractive");
    }
    if (step instanceof StepSpec.Pip || step instanceof StepSpec.Requirements) {
      return Map.of("PIP_BREAK_SYSTEM_PACKAGES", "1");
    }
    return Map.of();
  }

  /** Whether the step installs packages (and so always gets the host's network). */
  public static boolean installsPackages(StepSpec step) {
    return step instanceof StepSpec.Apt || step instanceof StepSpec.Pip || step instanceof StepSpec.Requirements;
  }
}
