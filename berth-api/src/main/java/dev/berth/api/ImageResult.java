package dev.berth.api;

import dev.berth.oci.Digest;
import dev.berth.plan.ImageState;
import java.time.Duration;
import java.util.List;

/**
 * How one image of a run ended.
 *
 * @param state the last state reached (built, verified, published, cached, failed, blocked…)
 * @param key the content key tag (null when the image could not even be planned)
 * @param digest the image's manifest digest in the store (null when it is not there: failed, blocked)
 * @param reason why the plan built it or not
 * @param cause why it failed or was blocked, else null
 * @param references where it was published ({@code REGISTRY/NAME:TAG@DIGEST}), or its store names
 * @param buildTime how long building it took (zero when it was not built now)
 * @param verifyTime how long its checks took (zero when none ran)
 * @param target the platform of this image, or the platforms of the index this result is
 */
public record ImageResult(String name, ImageState state, String key, Digest digest, String reason, String cause,
    List<String> references, List<String> dependsOn, Duration buildTime, Duration verifyTime, ImageTarget target) {
  public ImageResult {
    references = references == null ? List.of() : List.copyOf(references);
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    java.util.Objects.requireNonNull(target, "target");
  }

  /** Whether this is the index of an image built for several platforms (its children are results too). */
  public boolean isIndex() {
    return target instanceof ImageTarget.Index;
  }

  public boolean failed() {
    return state.isFailure();
  }
}
