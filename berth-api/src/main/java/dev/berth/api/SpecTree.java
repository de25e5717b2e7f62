package dev.berth.api;

import dev.berth.graph.ImageGraph;
import dev.berth.graph.TreeConfig;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API specs as the tree berth builds: each spec with the specs it is based on, read as image.yaml. */
final class SpecTree {
  private SpecTree() {}

  /**
   * @param root where the run's journal lives ({@code root/.berth}); specs without a source root are
   *     read in an empty folder under it
   * @param registry the registry of the tree, or null
   */
  static TreeScanner.Tree of(List<ImageSpec> specs, Path root, String registry) throws IOException {
    Map<String, ImageSpec> all = new LinkedHashMap<>();
    for (ImageSpec spec : specs) {
      collect(spec, all);
    }
    Path empty = Files.createDirectories(root.resolve("no-source"));
    Platform platform = TreeConfig.defaults().platform();
    ImageSpecParser parser = new ImageSpecParser(platform);
    List<dev.berth.spec.ImageSpec> parsed = new ArrayList<>();
    for (ImageSpec spec : all.values()) {
      Path folder = spec.sourceRoot() != null ? spec.sourceRoot() : empty;
      parsed.add(parser.parse(folder, folder.resolve(ImageSpecParser.FILE_NAME), spec.toYaml()));
    }
    TreeConfig config = new TreeConfig(registry, platform, null, Map.of(), false);
    return new TreeScanner.Tree(root, config, ImageGraph.of(parsed), List.of(), parser.declaredPlatforms());
  }

  /** {@code spec} after its base specs; two different specs with one name are refused. */
  private static void collect(ImageSpec spec, Map<String, ImageSpec> into) {
    if (spec.baseSpec() != null) {
      collect(spec.baseSpec(), into);
    }
    ImageSpec known = into.putIfAbsent(spec.name(), spec);
    if (known != null && !known.equals(spec)) {
      throw new IllegalArgumentException("two different image specs are named '" + spec.name() + "'");
    }
  }
}
