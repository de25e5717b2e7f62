package dev.berth.graph;

import dev.berth.dockerfile.DockerfileFrontend;
import dev.berth.oci.Platform;
import dev.berth.oci.Platforms;
import dev.berth.spec.ImageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which platforms a run builds, and each platform's part of a tree. An image that names platforms
 * ({@code platforms:} in image.yaml) is built for those of the run's platforms; one that names none,
 * for every platform of the run. An image built for several platforms gets an index over them; its
 * per-platform children carry only their key tag (the index carries the image's tags).
 */
public final class PlatformTrees {
  private static final List<String> KEY_TAG_ONLY = List.of("{key}");

  private PlatformTrees() {}

  /**
   * The platforms of a run: {@code requested} ({@code --platform}) when given; else berth.yaml's when it
   * names several; else, when an image names several, berth.yaml's first and every platform an image names.
   */
  public static Platforms of(TreeScanner.Tree tree, Optional<Platforms> requested) {
    if (requested.isPresent()) {
      return requested.get();
    }
    Platforms configured = tree.config().platforms();
    if (configured.many() || tree.declaredPlatforms().values().stream().noneMatch(Platforms::many)) {
      return configured;
    }
    List<Platform> all = new ArrayList<>(configured.list());
    tree.declaredPlatforms().values().forEach(own -> all.addAll(own.list()));
    return new Platforms(all);
  }

  /** The platforms of {@code run} that image {@code name} is built for, in the run's order. */
  public static List<Platform> platformsOf(TreeScanner.Tree tree, String name, Platforms run) {
    Platforms own = tree.declaredPlatforms().get(name);
    return run.list().stream().filter(platform -> own == null || own.contains(platform)).toList();
  }

  /** Whether {@code name} is built for several platforms of {@code run} (and so gets an index). */
  public static boolean indexed(TreeScanner.Tree tree, String name, Platforms run) {
    return !DockerfileFrontend.isStage(name) && platformsOf(tree, name, run).size() > 1;
  }

  /**
   * {@code tree} (scanned for {@code platform}) as {@code platform}'s part of a run over {@code run}:
   * only the images built for it, each set to it, children of an index tagged with their key only.
   * An image kept whose base is not built for {@code platform} is a {@link GraphException}.
   */
  public static TreeScanner.Tree forPlatform(TreeScanner.Tree tree, Platform platform, Platforms run) {
    ImageGraph graph = tree.graph().restrictedTo(
        name -> platformsOf(tree, name, run).contains(platform),
        spec -> shaped(tree, spec, platform, run));
    return tree.withGraph(graph);
  }

  private static ImageSpec shaped(TreeScanner.Tree tree, ImageSpec spec, Platform platform, Platforms run) {
    ImageSpec out = tree.declaredPlatforms().containsKey(spec.name()) ? spec.withPlatform(platform) : spec;
    return indexed(tree, spec.name(), run) ? out.withTags(KEY_TAG_ONLY) : out;
  }
}
