package dev.berth.plan;

import dev.berth.engine.DockerBuilder;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.store.ContentStore;
import dev.berth.layer.StepCache;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes what berth built for a tree that no current key reaches: tags of the tree's images that
 * point at superseded images (keeping the N most recent builds per image when asked), then the blobs
 * nothing names any more, then step-cache entries whose layer went with them. Names that are not the
 * tree's images (imported or pulled bases, other trees) are never touched.
 */
public final class Prune {
  private final ContentStore store;

  public Prune(ContentStore store) {
    this.store = store;
  }

  /** What was removed, and how many bytes that freed. */
  public record Report(List<String> removedTags, int removedBlobs, int removedStepEntries, int removedSnapshots,
      long bytesFreed) {}

  /**
   * @param currentKeys image name → the key tag it has now
   * @param history image name → its key tags, most recently built first (from the journal)
   * @param keep how many builds per image to keep, the current one included (at least 1)
   */
  public Report prune(Map<String, String> currentKeys, Map<String, List<String>> history, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException("--keep must be at least 1");
    }
    Map<String, Descriptor> names = new LinkedHashMap<>();
    for (Descriptor entry : store.references()) {
      String refName = entry.annotations().get(Descriptor.REF_NAME);
      if (refName != null) {
        names.put(refName, entry);
      }
    }
    Set<Digest> kept = new HashSet<>();
    for (var image : currentKeys.entrySet()) {
      for (String key : keptKeys(image.getKey(), image.getValue(), history, keep)) {
        Descriptor descriptor = names.get(image.getKey() + ":" + key);
        if (descriptor != null) {
          kept.add(descriptor.digest());
        }
      }
    }
    List<String> removedTags = new ArrayList<>();
    for (var named : names.entrySet()) {
      String refName = named.getKey();
      int colon = refName.lastIndexOf(':');
      String image = colon < 0 ? refName : refName.substring(0, colon);
      if (currentKeys.containsKey(image) && !kept.contains(named.getValue().digest())) {
        store.untag(refName);
        removedTags.add(refName);
      }
    }
    new dev.berth.store.StoreReferrers(store).dropOrphans();  // SBOMs and provenance of the images removed
    long before = storeBytes();
    ContentStore.GcReport gc = store.gc();
    int removedSteps = removeDanglingStepEntries();
    int removedSnapshots = new dev.berth.runtime.SnapshotStore(store).prune(liveDiffIds());
    return new Report(removedTags, gc.removed().size(), removedSteps, removedSnapshots,
        Math.max(0, before - storeBytes()));
  }

  /** The current key of an image and its most recent earlier ones, {@code keep} in all. */
  private static List<String> keptKeys(String image, String currentKey, Map<String, List<String>> history, int keep) {
    List<String> keys = new ArrayList<>();
    keys.add(currentKey);
    for (String older : history.getOrDefault(image, List.of())) {
      if (keys.size() >= keep) {
        break;
      }
      if (!keys.contains(older)) {
        keys.add(older);
      }
    }
    return keys;
  }

  /**
   * Removes from a Docker engine the names berth gave there and no longer needs: the tree's images
   * under key tags that are not kept (built with {@code --builder docker} or put there by
   * {@code --load}), and the bases berth loaded ({@code berth-base:*}) for its builds. Other images
   * and names are never touched; an image a container still uses stays, and is reported.
   *
   * @return per name: removed, or kept by the engine because something uses it
   */
  public List<EngineName> pruneEngine(DockerEngine engine, Map<String, String> currentKeys,
      Map<String, List<String>> history, int keep) throws IOException {
    List<EngineName> removed = new ArrayList<>();
    for (DockerEngine.ImageSummary image : engine.images()) {
      for (String reference : image.repoTags()) {
        int colon = reference.lastIndexOf(':');
        String repository = reference.substring(0, colon);
        String tag = reference.substring(colon + 1);
        boolean loadedBase = repository.equals(DockerBuilder.BASE_REPOSITORY);
        boolean supersededBuild = currentKeys.containsKey(repository) && KEY_TAG.matcher(tag).matches()
            && !keptKeys(repository, currentKeys.get(repository), history, keep).contains(tag);
        if (loadedBase || supersededBuild) {
          removed.add(new EngineName(reference, !engine.untag(reference)));
        }
      }
    }
    return removed;
  }

  /** A name berth made in a Docker engine and pruned: removed, or kept because a container uses it. */
  public record EngineName(String reference, boolean inUse) {}

  /** Each image's built keys, most recent first, from the journal's log. */
  public static Map<String, List<String>> history(Journal journal) throws IOException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Journal.Transition transition : journal.history()) {
      if (transition.state() == ImageState.BUILT) {
        List<String> keys = out.computeIfAbsent(transition.image(), ignored -> new ArrayList<>());
        keys.remove(transition.key());
        keys.add(0, transition.key());
      }
    }
    return out;
  }

  private static final java.util.regex.Pattern KEY_TAG =
      java.util.regex.Pattern.compile("[0-9a-f]{" + dev.berth.engine.ContentKey.TAG_LENGTH + "}");

  /** The diff IDs of every layer of every image the store still names. */
  private Set<Digest> liveDiffIds() throws IOException {
    Set<Digest> live = new HashSet<>();
    for (Descriptor named : store.references()) {
      for (Digest digest : store.reachableFrom(named)) {
        if (!store.hasBlob(digest)) {
          continue;
        }
        byte[] bytes = store.readBlob(digest);
        if (bytes.length < (1 << 20) && bytes.length > 0 && bytes[0] == '{') {
          var tree = Json.tree(bytes);
          for (var diffId : tree.path("rootfs").path("diff_ids")) {
            live.add(Digest.parse(diffId.asText()));
          }
        }
      }
    }
    return live;
  }

  private int removeDanglingStepEntries() throws IOException {
    Path directory = new StepCache(store).directory();
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    int removed = 0;
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        boolean dangling;
        try {
          var layer = Json.tree(Files.readString(entry, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))
              .path("layer").path("digest").asText();
          dangling = layer.isEmpty() || !store.hasBlob(Digest.parse(layer));
        } catch (RuntimeException unreadable) {
          dangling = true;
        }
        if (dangling) {
          Files.deleteIfExists(entry);
          removed++;
        }
      }
    }
    return removed;
  }

  private long storeBytes() throws IOException {
    try (Stream<Path> walk = Files.walk(store.root())) {
      return walk.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    }
  }
}
