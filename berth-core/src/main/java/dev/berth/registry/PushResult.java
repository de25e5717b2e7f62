package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import java.util.List;

/**
 * What a push did: the manifest or index now under the target, and which blobs were uploaded,
 * found already present (skipped), or mounted from another repository of the same registry.
 * {@code upToDate} means the target already named this exact manifest, so nothing was sent.
 */
public record PushResult(Descriptor pushed, List<Digest> uploaded, List<Digest> skipped, List<Digest> mounted,
    boolean upToDate) {
  public PushResult {
    uploaded = List.copyOf(uploaded);
    skipped = List.copyOf(skipped);
    mounted = List.copyOf(mounted);
  }
}
