package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.emulation.Execution;
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
   * {@code emulated}: how the commands of an image to build (its steps that run commands, its checks)
   * will run under emulation; null when natively or when it runs none.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(
      @JsonProperty("name") String name,
      @JsonProperty("key") String key,
      @JsonProperty("action") Action action,
      @JsonProperty("reason") String reason,
      @JsonProperty("dependsOn") List<String> dependsOn,
      @JsonIgnore ImageSpec spec,
      @JsonIgnore PreparedImage prepared,
      @JsonProperty("emulated") Execution.Emulated emulated) {
    public Item(String name, String key, Action action, String reason, List<String> dependsOn, ImageSpec spec,
        PreparedImage prepared) {
      this(name, key, action, reason, dependsOn, spec, prepared, null);
    }

    /** This item, its commands run as {@code value} says. */
    public Item withEmulated(Execution.Emulated value) {
      return new Item(name, key, action, reason, dependsOn, spec, prepared, value);
    }
  }

  public long count(Action action) {
    return images.stream().filter(item -> item.action() == action).count();
  }
}
