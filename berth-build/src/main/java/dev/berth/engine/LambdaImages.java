package dev.berth.engine;

import dev.berth.engine.docker.DaemonImages;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The local-invoke images of {@code berth layered} where SAM keeps its own: {@link #load} puts one into
 * a Docker engine, and {@link #removeOlder} drops the earlier images of the same runtime and
 * architecture ({@code berth-lambda/FAMILY:VERSION-ARCH-*}) from the store and the engine when a new
 * one is built, as SAM's {@code _remove_rapid_images} keeps one rapid image per runtime.
 */
public final class LambdaImages {
  private LambdaImages() {}

  /** What {@link #removeOlder} removed: names from the store and from the engine. */
  public record Removed(List<String> store, List<String> engine) {}

  /** Loads {@code reference} of the store into {@code engine} under that name; returns what the engine says it loaded. */
  public static List<String> load(ContentStore store, String reference, Descriptor manifest, DockerEngine engine)
      throws IOException {
    return DaemonImages.write(engine, store, manifest, reference);
  }

  /**
   * Removes every other image of {@code reference}'s runtime and architecture from the store, and from
   * {@code engine} when it is not null (by name: an image still named otherwise stays).
   */
  public static Removed removeOlder(ContentStore store, String reference, DockerEngine engine) throws IOException {
    String prefix = siblingsPrefix(reference);
    List<String> fromStore = new ArrayList<>();
    for (Descriptor descriptor : store.references()) {
      String name = descriptor.annotations() == null ? null : descriptor.annotations().get(Descriptor.REF_NAME);
      if (name != null && name.startsWith(prefix) && !name.equals(reference) && store.untag(name)) {
        fromStore.add(name);
      }
    }
    List<String> fromEngine = new ArrayList<>();
    if (engine != null) {
      for (DockerEngine.ImageSummary image : engine.images()) {
        for (String tag : image.repoTags()) {
          if (tag.startsWith(prefix) && !tag.equals(reference) && engine.untag(tag)) {
            fromEngine.add(tag);
          }
        }
      }
    }
    return new Removed(List.copyOf(fromStore), List.copyOf(fromEngine));
  }

  /** {@code berth-lambda/python:3.12-x86_64-HASH} → {@code berth-lambda/python:3.12-x86_64-}. */
  static String siblingsPrefix(String reference) {
    int dash = reference.lastIndexOf('-');
    if (!reference.startsWith("berth-lambda/") || dash < 0) {
      throw new IllegalArgumentException("not a berth layered image: " + reference);
    }
    return reference.substring(0, dash + 1);
  }
}
