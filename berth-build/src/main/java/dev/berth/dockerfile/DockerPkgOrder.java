package dev.berth.dockerfile;

import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The build order of a docker-pkg tree's images: dependencies first; a cycle is named with a file and line. */
final class DockerPkgOrder {
  private final Map<String, Set<String>> dependencies;
  private final Function<String, Path> templates;
  private final Map<String, Integer> state = new HashMap<>();
  private final List<String> order = new ArrayList<>();

  private DockerPkgOrder(Map<String, Set<String>> dependencies, Function<String, Path> templates) {
    this.dependencies = dependencies;
    this.templates = templates;
  }

  /**
   * @param dependencies every image (sorted) and the tree images it needs first
   * @param templates each image's template, to name the line of a cycle
   */
  static List<String> of(Map<String, Set<String>> dependencies, Function<String, Path> templates) {
    DockerPkgOrder walk = new DockerPkgOrder(dependencies, templates);
    for (String name : dependencies.keySet()) {
      walk.visit(name, new ArrayList<>());
    }
    return List.copyOf(walk.order);
  }

  private void visit(String name, List<String> path) {
    Integer seen = state.get(name);
    if (seen != null && seen == 2) {
      return;
    }
    path.add(name);
    if (seen != null) {
      List<String> cycle = path.subList(path.indexOf(name), path.size());
      throw cycle(path.get(path.size() - 2), name, String.join(" -> ", cycle));
    }
    state.put(name, 1);
    for (String dependency : dependencies.getOrDefault(name, Set.of())) {
      visit(dependency, path);
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    order.add(name);
  }

  /** The error for the edge {@code from → to}: at the control file's line naming it, else the template's. */
  private SpecException cycle(String from, String to, String cycle) {
    Path template = templates.apply(from);
    String message = "dependency cycle: " + cycle;
    Path control = template.resolveSibling(ControlFile.FILE_NAME);
    int line = lineNaming(control, to);
    if (line > 0) {
      return new SpecException(control, line, message);
    }
    return new SpecException(template, lineNaming(template, to), message);
  }

  private static int lineNaming(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      return 0;
    }
    try {
      List<String> lines = Files.readAllLines(file);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).matches(".*(?<![\\w.-])" + java.util.regex.Pattern.quote(name) + "(?![\\w.-]).*")) {
          return i + 1;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
