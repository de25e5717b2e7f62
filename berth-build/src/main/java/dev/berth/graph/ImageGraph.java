package dev.berth.graph;

import dev.berth.spec.ImageSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The images of a tree and which builds on which: an image whose {@code base:} names another image
 * of the tree depends on it. Built only from validated specs; a cycle or a duplicate name is refused.
 *
 * <p>The rule for names: a base (or {@code COPY --from}) written as a bare name, without registry,
 * tag or digest, that is the name of an image of the tree is that image. Every other name is a
 * Docker reference ({@code busybox} means {@code docker.io/library/busybox:latest}), found in the
 * store or pulled.
 */
public final class ImageGraph {
  private final Map<String, ImageSpec> images;
  private final Map<String, String> parents;
  private final Map<String, List<String>> dependencies;
  private final List<String> order;
  private final Map<String, String> failures;
  /** docker-pkg images' {@code registry/namespace/name:version}, which --select also matches (with fnmatch). */
  private final Map<String, String> labels;

  private ImageGraph(Map<String, ImageSpec> images, Map<String, String> parents,
      Map<String, List<String>> dependencies, List<String> order, Map<String, String> failures,
      Map<String, String> labels) {
    this.images = images;
    this.parents = parents;
    this.dependencies = dependencies;
    this.order = order;
    this.failures = failures;
    this.labels = labels;
  }

  /**
   * This graph where the images in {@code labels} also answer to their docker-pkg label
   * ({@code registry/namespace/name:version}): a --select glob matches it with fnmatch, as docker-pkg's.
   */
  public ImageGraph withSelectLabels(Map<String, String> labels) {
    Map<String, String> all = new TreeMap<>(this.labels);
    all.putAll(labels);
    return new ImageGraph(images, parents, dependencies, order, failures, Map.copyOf(all));
  }

  public static ImageGraph of(List<ImageSpec> specs) {
    return of(specs, Map.of(), Map.of());
  }

  /**
   * @param declared dependencies an image declares besides its base and copies (docker-pkg's control
   *     files); only images of the tree are kept
   * @param failures images that could not be read, with their one-line error (they are stand-ins)
   */
  public static ImageGraph of(List<ImageSpec> specs, Map<String, Set<String>> declared, Map<String, String> failures) {
    Map<String, ImageSpec> byName = new TreeMap<>();
    for (ImageSpec spec : specs) {
      ImageSpec previous = byName.put(spec.name(), spec);
      if (previous != null) {
        throw new GraphException("two images are named '" + spec.name() + "': " + previous.folder() + " and "
            + spec.folder());
      }
    }
    Map<String, String> parents = new HashMap<>();
    for (ImageSpec spec : byName.values()) {
      if (namesTreeImage(spec.base()) && byName.containsKey(spec.base())) {
        parents.put(spec.name(), spec.base());
      }
    }
    Map<String, List<String>> dependencies = new HashMap<>();
    for (ImageSpec spec : byName.values()) {
      List<String> needs = new ArrayList<>();
      if (parents.containsKey(spec.name())) {
        needs.add(parents.get(spec.name()));
      }
      for (dev.berth.spec.StepSpec step : spec.steps()) {
        for (String image : step.sourceImages()) {
          if (namesTreeImage(image) && byName.containsKey(image) && !needs.contains(image)) {
            needs.add(image);
          }
        }
      }
      for (String other : declared.getOrDefault(spec.name(), Set.of())) {
        if (byName.containsKey(other) && !needs.contains(other) && !other.equals(spec.name())) {
          needs.add(other);
        }
      }
      dependencies.put(spec.name(), List.copyOf(needs));
    }
    return new ImageGraph(byName, parents, dependencies, topologicalOrder(byName.keySet(), dependencies),
        Map.copyOf(failures), Map.of());
  }

  /**
   * The same graph with {@code labels} set on every image (over the labels it has), as buildx's
   * {@code --label} and BUILDX_GIT_LABELS set them over a Dockerfile's LABEL.
   */
  public ImageGraph withImageLabels(Map<String, String> labels) {
    Map<String, ImageSpec> labelled = new TreeMap<>();
    images.forEach((name, spec) -> labelled.put(name, spec.withLabels(labels)));
    return new ImageGraph(labelled, parents, dependencies, order, failures, this.labels);
  }

  /**
   * The graph of the images {@code keep} accepts, each changed by {@code change} (one platform's images
   * of a multi-platform tree, built for that platform). An image kept whose parent is not is an error.
   */
  public ImageGraph restrictedTo(java.util.function.Predicate<String> keep,
      java.util.function.UnaryOperator<ImageSpec> change) {
    Map<String, ImageSpec> kept = new TreeMap<>();
    images.forEach((name, spec) -> {
      if (keep.test(name)) {
        kept.put(name, change.apply(spec));
      }
    });
    Map<String, String> keptParents = new HashMap<>();
    Map<String, List<String>> keptDependencies = new HashMap<>();
    for (String name : kept.keySet()) {
      for (String needed : dependencies(name)) {
        if (!kept.containsKey(needed)) {
          throw new GraphException("image '" + name + "' is built for " + kept.get(name).platform()
              + ", but '" + needed + "', which it builds on, is not");
        }
      }
      if (parents.containsKey(name)) {
        keptParents.put(name, parents.get(name));
      }
      keptDependencies.put(name, dependencies(name));
    }
    Map<String, String> keptFailures = new TreeMap<>(failures);
    keptFailures.keySet().retainAll(kept.keySet());
    return new ImageGraph(kept, keptParents, keptDependencies, order.stream().filter(kept::containsKey).toList(),
        Map.copyOf(keptFailures), labels);
  }

  /** Why an image could not be read (its one-line error), if it could not. */
  public Optional<String> failure(String name) {
    return Optional.ofNullable(failures.get(name));
  }

  /**
   * Whether {@code base} may name an image of the tree: it is bare (no host, tag or digest). It does
   * when the tree has an image of that name; otherwise it is a Docker reference.
   */
  public static boolean namesTreeImage(String base) {
    return dev.berth.spec.BaseReference.namesTreeImage(base);
  }

  private static List<String> topologicalOrder(Set<String> names, Map<String, List<String>> parents) {
    List<String> order = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>();
    for (String name : names) {
      visit(name, parents, state, order, new ArrayList<>());
    }
    return Collections.unmodifiableList(order);
  }

  private static void visit(String name, Map<String, List<String>> parents, Map<String, Integer> state,
      List<String> order, List<String> path) {
    Integer seen = state.get(name);
    if (seen != null && seen == 2) {
      return;
    }
    if (seen != null && seen == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      throw new GraphException("dependency cycle: " + String.join(" -> ", cycle));
    }
    state.put(name, 1);
    path.add(name);
    for (String parent : parents.getOrDefault(name, List.of())) {
      visit(parent, parents, state, order, path);
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    order.add(name);
  }

  /** Every image, parents before children (and by name among equals). */
  public List<String> order() {
    return order;
  }

  public ImageSpec spec(String name) {
    ImageSpec spec = images.get(name);
    if (spec == null) {
      throw new GraphException("no image named '" + name + "' in the tree");
    }
    return spec;
  }

  public Optional<String> parent(String name) {
    return Optional.ofNullable(parents.get(name));
  }

  /** Everything {@code name} needs built first: its parent, then the images it copies from. */
  public List<String> dependencies(String name) {
    return dependencies.getOrDefault(name, List.of());
  }

  public List<String> children(String name) {
    List<String> out = new ArrayList<>();
    parents.forEach((child, parent) -> {
      if (parent.equals(name)) {
        out.add(child);
      }
    });
    Collections.sort(out);
    return out;
  }

  /** {@code name} and every image that builds on it, transitively, in build order. */
  public List<String> withDependents(String name) {
    Set<String> found = new TreeSet<>();
    found.add(name);
    for (String candidate : order) {
      if (dependencies(candidate).stream().anyMatch(found::contains)) {
        found.add(candidate);
      }
    }
    return order.stream().filter(found::contains).toList();
  }

  /** The images whose names match one of {@code globs}, plus the parents they need, in build order. */
  public List<String> select(List<String> globs) {
    if (globs.isEmpty()) {
      return order;
    }
    Set<String> chosen = new TreeSet<>();
    java.util.ArrayDeque<String> pending = new java.util.ArrayDeque<>(matching(globs));
    while (!pending.isEmpty()) {
      String current = pending.pop();
      if (chosen.add(current)) {
        pending.addAll(dependencies(current));
      }
    }
    return order.stream().filter(chosen::contains).toList();
  }

  /**
   * The images whose names match one of {@code globs} (all of them when there are none), in build
   * order; a docker-pkg image also when a glob matches its label with fnmatch.
   */
  public List<String> matching(List<String> globs) {
    if (globs.isEmpty()) {
      return order;
    }
    Set<String> matched = new TreeSet<>();
    for (String glob : globs) {
      var matcher = java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
      boolean any = false;
      java.util.regex.Pattern label = labels.isEmpty() ? null : Fnmatch.compile(glob);
      for (String name : order) {
        if (matcher.matches(java.nio.file.Path.of(name))
            || labels.containsKey(name) && label.matcher(labels.get(name)).matches()) {
          any = true;
          matched.add(name);
        }
      }
      if (!any) {
        throw new GraphException("--select '" + glob + "' matches no image of the tree");
      }
    }
    return order.stream().filter(matched::contains).toList();
  }

  public Map<String, ImageSpec> images() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(images));
  }
}
