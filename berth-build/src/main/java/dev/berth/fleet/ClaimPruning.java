package dev.berth.fleet;

import dev.berth.store.ContentStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * {@code berth workers --prune-claims}: deletes the spent key claims ({@link KeyClaims}) of a tree's
 * images from the registry: expired ones (their run died), released ones (their build failed) and
 * those whose key tag is published. Claims in force are left alone.
 */
public final class ClaimPruning {
  private ClaimPruning() {}

  /** One claim deleted: the image, its claim tag, and {@code expired}, {@code released} or {@code published}. */
  public record Pruned(String image, String tag, String why) {}

  public static List<Pruned> prune(FleetRegistry registry, ContentStore store, Collection<String> images)
      throws IOException {
    KeyClaims claims = new KeyClaims(registry, store, "berth-prune", Fleet.DEFAULT_CLAIM_LEASE, Clock.systemUTC());
    return claims.prune(images);
  }
}
