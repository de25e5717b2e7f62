package dev.berth.api.tree;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.ContentKey;
import dev.berth.engine.PlatformIndex;
import dev.berth.oci.Platform;
import dev.berth.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a multi-platform run would do with the index of an image built for several platforms: its key
 * is known from the children's keys before anything is built, so the index is cached when the store has
 * it and no child is built again (as {@code --affected-by} does, under the same keys), built otherwise,
 * and blocked when a platform's image cannot be built.
 *
 * @param key the index key's tag, null when blocked
 */
@com.fasterxml.jackson.annotation.JsonPropertyOrder({"name", "key", "action", "reason", "platforms"})
public record IndexPlan(@JsonProperty("name") String name, @JsonProperty("key") String key,
    @JsonProperty("action") Plan.Action action, @JsonProperty("reason") String reason,
    @JsonIgnore List<Platform> platforms) {
  public IndexPlan {
    platforms = List.copyOf(platforms);
  }

  /** The platforms as {@code os/arch[/variant]}, as the index results of a run list them. */
  @JsonProperty("platforms")
  public List<String> platformNames() {
    return platforms.stream().map(Platform::toString).toList();
  }

  /** One platform's planned image: its action and key (null when it could not be prepared). */
  public record Child(Platform platform, Plan.Action action, ContentKey key) {}

  /** Plans the index over {@code children} (in platform order); {@code present} says whether the store has a key's index. */
  public static IndexPlan of(String name, List<Child> children, Predicate<ContentKey> present) {
    List<Platform> platforms = children.stream().map(Child::platform).toList();
    List<PlatformIndex.Child> keyed = new ArrayList<>();
    for (Child child : children) {
      if (child.action() == Plan.Action.FAILED || child.action() == Plan.Action.BLOCKED || child.key() == null) {
        return new IndexPlan(name, null, Plan.Action.BLOCKED, "not every platform can be built: " + child.platform()
            + " " + child.action().label(), platforms);
      }
      keyed.add(new PlatformIndex.Child(child.platform(), child.key(), null));
    }
    ContentKey key = PlatformIndex.key(keyed);
    if (!present.test(key)) {
      return new IndexPlan(name, key.tag(), Plan.Action.BUILD, "no index " + key.tag() + " over " + platforms.size()
          + " platforms in the store", platforms);
    }
    return children.stream().anyMatch(child -> child.action() == Plan.Action.BUILD)
        ? new IndexPlan(name, key.tag(), Plan.Action.BUILD, "written again over the children built again", platforms)
        : new IndexPlan(name, key.tag(), Plan.Action.CACHED, "the index " + key.tag() + " is in the store", platforms);
  }
}
