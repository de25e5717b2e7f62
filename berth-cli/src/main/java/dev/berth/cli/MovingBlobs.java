package dev.berth.cli;

import dev.berth.event.BuildEvent;
import dev.berth.oci.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The blobs each image is pushing or pulling now, from {@link BuildEvent.BlobProgress} events, as the
 * live display shows them under the image's line: one line per blob, as {@code docker push} has it
 * ({@code sha256:0123456789ab  pushing  12.3 MB / 30.0 MB  41%}). A blob leaves once it has all its bytes.
 * Not thread-safe: the display calls it under its own lock.
 */
final class MovingBlobs {
  private final Map<String, Map<Digest, BuildEvent.BlobProgress>> byImage = new LinkedHashMap<>();

  /** Takes in one report. */
  void update(BuildEvent.BlobProgress progress) {
    Map<Digest, BuildEvent.BlobProgress> blobs = byImage.computeIfAbsent(progress.image(), image -> new LinkedHashMap<>());
    if (progress.bytes() >= progress.total()) {
      blobs.remove(progress.blob());
    } else {
      blobs.put(progress.blob(), progress);
    }
    if (blobs.isEmpty()) {
      byImage.remove(progress.image());
    }
  }

  /** The image's transfer is over (or it failed): its blobs are no longer shown. */
  void forget(String image) {
    byImage.remove(image);
  }

  /** The lines of the blobs {@code image} moves now, in the order they started. */
  List<String> lines(String image) {
    List<String> lines = new ArrayList<>();
    for (BuildEvent.BlobProgress blob : byImage.getOrDefault(image, Map.of()).values()) {
      lines.add(line(blob));
    }
    return lines;
  }

  /** One blob's line: short digest, direction, bytes moved of all, percentage. */
  static String line(BuildEvent.BlobProgress blob) {
    String digest = blob.blob().toString();
    String shortDigest = digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12));
    return String.format(Locale.ROOT, "      %s  %s  %s / %s  %d%%", shortDigest,
        blob.direction() == BuildEvent.Direction.PUSH ? "pushing" : "pulling", LiveDisplay.bytes(blob.bytes()),
        LiveDisplay.bytes(blob.total()), blob.total() == 0 ? 100 : blob.bytes() * 100 / blob.total());
  }
}
