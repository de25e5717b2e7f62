package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.spec.ImageSpec;
import java.util.List;
import java.util.Locale;

/** What a run will do, image by image, in build order, and why. */
public record Plan(@JsonProperty("images") List<Item> images) {
  public Plan {
    images = List.copyOf(images);
  }

  public enum Action {
    BUILD, CACHED, FAILED, BLOCKED;

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One image of the plan. {@code prepared} is null when the image could not even be prepared
   * (then {@code action} is FAILED, with the error as reason) or its parent could not (BLOCKED).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      @JsonProperty("name") String name,
      @JsonProperty("key") String key,
      @JsonProperty("action") Action action,
      @JsonProperty("reason") String reason,
      @JsonProperty("dependsOn") List<String> dependsOn,
      @JsonIgnore ImageSpec spec,
      @JsonIgnore PreparedImage prepared) {}

  public long count(Action action) {
    return images.stream().filter(item -> item.action() == action).count();
  }
}
