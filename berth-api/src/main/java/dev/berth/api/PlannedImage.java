package dev.berth.api;

import dev.berth.plan.Plan;
import java.util.List;

/**
 * What a build would do with one image: its key, the action (build, cached, failed, blocked) and why.
 * A tree built for several platforms plans each platform's image ({@link ImageTarget.Single}) and the
 * index over them ({@link ImageTarget.Index}), each with its own key.
 */
public record PlannedImage(String name, String key, Plan.Action action, String reason, List<String> dependsOn,
    ImageTarget target) {
  public PlannedImage {
    dependsOn = List.copyOf(dependsOn);
    java.util.Objects.requireNonNull(target, "target");
  }

  public boolean isIndex() {
    return target instanceof ImageTarget.Index;
  }
}
