package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import java.util.List;

/**
 * What a pull stored: the manifest (for one platform) or index (for all) now in the store, which
 * blobs were downloaded, and which were already there.
 */
public record PullResult(Descriptor pulled, List<Digest> downloaded, List<Digest> skipped) {
  public PullResult {
    downloaded = List.copyOf(downloaded);
    skipped = List.copyOf(skipped);
  }
}
