package dev.berth.api;

import dev.berth.plan.Plan;
import java.util.List;

/** What a build would do with one image: its key, the action (build, cached, failed, blocked) and why. */
public record PlannedImage(String name, String key, Plan.Action action, String reason, List<String> dependsOn) {
  public PlannedImage {
    dependsOn = List.copyOf(dependsOn);
  }
}
