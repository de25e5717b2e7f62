package dev.berth.engine;

import dev.berth.spec.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An image with everything its key depends on decided: spec, the base it was planned on (outside the
 * tree, or its parent in the tree), inputs per step, key, the keys of the tree images it copies from,
 * and its changelog version (null: none). The planner's central type: every builder starts from it.
 */
public record PreparedImage(ImageSpec spec, PlannedBase base, List<List<InputFile>> stepInputs, ContentKey key,
    Map<String, ContentKey> sources, String version) {
  public PreparedImage {
    java.util.Objects.requireNonNull(base, "base");
    sources = sources == null ? Map.of() : Map.copyOf(sources);
  }

  public PreparedImage(ImageSpec spec, PlannedBase base, List<List<InputFile>> stepInputs, ContentKey key) {
    this(spec, base, stepInputs, key, Map.of(), null);
  }

  public Path folder() {
    return spec.folder();
  }

  /** Every input file of every step, by path. */
  public SortedMap<String, InputFile> inputs() {
    SortedMap<String, InputFile> out = new TreeMap<>();
    stepInputs.forEach(list -> list.forEach(input -> out.put(input.path(), input)));
    return out;
  }
}
