package dev.berth.dockerfile;

import dev.berth.oci.Platform;
import dev.berth.spec.Changelog;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A docker-pkg tree: every folder with {@code Dockerfile.template} and {@code changelog} is an image
 * named by the changelog's package and tagged with its version. Templates render as docker-pkg
 * renders them ({@link DockerPkgTemplates}); the Dockerfiles go through {@link DockerfileFrontend}.
 * An image depends on the tree images its {@code control} file lists (docker-pkg's edges) and on
 * those its Dockerfile builds on or copies from.
 *
 * <p>An image whose template or Dockerfile is refused fails alone: it is in {@link Tree#failures()}
 * with its {@code file:line} error, and its dependents are blocked by the planner. Only what spoils
 * the whole tree throws: an unreadable config, a changelog without a name, two images of one name,
 * a dependency cycle.
 */
public final class DockerPkgTree {
  public static final String TEMPLATE = "Dockerfile.template";
  public static final String BUILD_TEMPLATE = "Dockerfile.build.template";
  private static final Pattern NUMERIC_USER = Pattern.compile("^USER\\s+\\d+(?::\\d+)?$");

  private DockerPkgTree() {}

  /**
   * The tree's images in build order (each image's stages before it; a failed image as a stand-in
   * with no steps), what each image depends on, the failed images' errors, report lines, and each
   * image's docker-pkg label ({@code registry/namespace/name:version}).
   */
  public record Tree(DockerPkgConfig config, List<ImageSpec> images, Map<String, Set<String>> dependencies,
      Map<String, String> failures, List<String> warnings, Map<String, String> labels) {
    public Tree {
      images = List.copyOf(images);
      dependencies = Map.copyOf(dependencies);
      failures = Map.copyOf(failures);
      warnings = List.copyOf(warnings);
      labels = Map.copyOf(labels);
    }
  }

  /** One image's template and what it renders to, or why it does not. */
  public record Rendered(String name, String version, Path template, String dockerfile, String error) {}

  /** {@code root} for linux/amd64; {@code configFile} null means {@code root/config.yaml} if there is one. */
  public static Tree load(Path root, Path configFile) {
    return load(root, configFile, Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE, Map.of());
  }

  /** The configuration a tree is read with: {@code configFile}, else the tree's own, else the defaults. */
  public static DockerPkgConfig config(Path root, Path configFile) {
    Path defaultConfig = root.resolve(DockerPkgConfig.FILE_NAME);
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new SpecException(configFile, "no such docker-pkg config file");
      }
      return DockerPkgConfig.load(configFile);
    }
    return Files.isRegularFile(defaultConfig) ? DockerPkgConfig.load(defaultConfig)
        : DockerPkgConfig.load(null, DockerPkgConfig.userFile());
  }

  /** Every template of the tree rendered as docker-pkg renders it (for {@code berth render} and comparisons). */
  public static List<Rendered> render(Path root, Path configFile, List<String> warnings) {
    Path tree = root.toAbsolutePath().normalize();
    return render(tree, config(tree, configFile), ownConfig(tree, configFile), warnings);
  }

  /** As {@link #render(Path, Path, List)} with {@code config} as it stands ({@code ownConfig}: it is the tree's). */
  public static List<Rendered> render(Path root, DockerPkgConfig config, boolean ownConfig, List<String> warnings) {
    Path tree = root.toAbsolutePath().normalize();
    Map<String, Changelog> images = scan(tree, ownConfig, warnings);
    List<TemplateWarning> filterWarnings = java.util.Collections.synchronizedList(new ArrayList<>());
    DockerPkgTemplates templates = new DockerPkgTemplates(config, knownImages(config, images));
    List<Rendered> out = images.entrySet().parallelStream().map(image -> {
      Path template = template(image.getValue());
      String version = image.getValue().version();
      try {
        DockerPkgTemplates.Rendering rendering = templates.render(template);
        filterWarnings.addAll(rendering.warnings());
        return new Rendered(image.getKey(), version, template, rendering.dockerfile(), null);
      } catch (dev.berth.text.TextFileException e) {
        return new Rendered(image.getKey(), version, template, null, e.getMessage());
      }
    }).toList();
    synchronized (filterWarnings) {
      filterWarnings.stream().map(TemplateWarning::message).distinct().sorted().forEach(warnings::add);
    }
    return out;
  }

  /**
   * Reads the tree; {@code external} gives the environment of bases outside the tree and
   * {@code buildArgs} win over the config's build arguments.
   */
  public static Tree load(Path root, Path configFile, Platform platform, DockerfileFrontend.Bases external,
      Map<String, String> buildArgs) {
    return load(root, configFile, platform, external, buildArgs, RenderCache.NONE);
  }

  /** As {@link #load(Path, Path, Platform, DockerfileFrontend.Bases, Map)}, with renderings kept in {@code renderCache}. */
  public static Tree load(Path root, Path configFile, Platform platform, DockerfileFrontend.Bases external,
      Map<String, String> buildArgs, RenderCache renderCache) {
    Path tree = root.toAbsolutePath().normalize();
    DockerPkgConfig config = config(tree, configFile);
    List<String> warnings = new ArrayList<>();
    Map<String, Changelog> images = scan(tree, ownConfig(tree, configFile), warnings);
    Map<String, String> namesByReference = new HashMap<>();
    images.forEach((name, changelog) -> namesByReference.put(config.fullName(name) + ":" + changelog.version(), name));

    Map<String, String> failures = new java.util.concurrent.ConcurrentSkipListMap<>();
    Map<String, String> rendered = renderAll(config, images, failures, warnings, renderCache);

    // the order to read Dockerfiles in (bases first, for their environment): control files, and the
    // tree references in FROM and COPY --from lines; the dependencies proper come from the parsed specs
    Map<String, Set<String>> dependencies = new TreeMap<>();
    Map<String, Set<String>> candidates = new TreeMap<>();
    Map<String, ControlFile> controls = new TreeMap<>();
    images.forEach((name, changelog) -> {
      Set<String> declared = new TreeSet<>();
      ControlFile.read(changelog.file().getParent()).ifPresent(control -> {
        controls.put(name, control);
        control.depends().stream().filter(images::containsKey).forEach(declared::add);
      });
      declared.remove(name);
      dependencies.put(name, declared);
      Set<String> mentioned = new TreeSet<>(declared);
      mentioned.addAll(baseLineReferences(rendered.getOrDefault(name, ""), namesByReference));
      mentioned.remove(name);
      candidates.put(name, mentioned);
    });
    List<String> order = DockerPkgOrder.of(candidates, name -> template(images.get(name)));

    List<String> tags = List.of("{key}", "{version}");
    Map<String, String> arguments = new TreeMap<>(config.buildArgs());
    arguments.putAll(buildArgs);
    Map<String, Map<String, String>> environments = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> baseWarnings = java.util.Collections.synchronizedList(new ArrayList<>());
    DockerfileFrontend frontend = new DockerfileFrontend(platform, new DockerPkgBases(namesByReference,
        name -> Optional.ofNullable(environments.get(name)), external, baseWarnings));
    Map<String, DockerfileFrontend.Result> results = new java.util.concurrent.ConcurrentHashMap<>();
    // images whose bases are read are read together, on all cores
    for (List<String> wave : waves(order, candidates)) {
      wave.parallelStream().filter(name -> !failures.containsKey(name)).forEach(name -> {
        Changelog changelog = images.get(name);
        try {
          var result = frontend.parse(changelog.file().getParent(), template(changelog), rendered.get(name), name,
              arguments, tags);
          environments.put(name, result.environment());
          results.put(name, result);
        } catch (dev.berth.text.TextFileException e) {
          failures.put(name, e.getMessage());
        } catch (IllegalArgumentException e) {
          failures.put(name, template(changelog) + ": " + e.getMessage());
        }
      });
    }
    synchronized (baseWarnings) {
      baseWarnings.stream().distinct().sorted().forEach(warnings::add);
    }
    List<ImageSpec> specs = new ArrayList<>();
    for (String name : order) {
      DockerfileFrontend.Result result = results.get(name);
      if (result == null) {
        Path template = template(images.get(name));
        specs.add(standIn(template.getParent(), template, name, platform));
        continue;
      }
      Set<String> builtOn = new TreeSet<>();
      result.images().forEach(spec -> DockerfileFrontend.dependencies(spec).stream()
          .filter(dependency -> images.containsKey(dependency) && !dependency.equals(name))
          .forEach(builtOn::add));
      dependencies.get(name).addAll(builtOn);
      ControlFile control = controls.get(name);
      builtOn.stream().filter(dependency -> control != null && !control.depends().contains(dependency))
          .forEach(dependency -> warnings.add(control.file() + ": Depends does not list '" + dependency
              + "', which the Dockerfile builds on (docker-pkg's update would not reach this image)"));
      specs.addAll(result.images());
      warnings.addAll(result.warnings());
    }
    Map<String, String> labels = new TreeMap<>();
    images.forEach((name, changelog) -> labels.put(name, config.fullName(name) + ":" + changelog.version()));
    return new Tree(config, specs, dependencies, new TreeMap<>(failures), warnings, labels);
  }

  /** {@code order} cut into waves: each image comes after every wave holding one of its candidates. */
  private static List<List<String>> waves(List<String> order, Map<String, Set<String>> candidates) {
    Map<String, Integer> level = new HashMap<>();
    List<List<String>> waves = new ArrayList<>();
    for (String name : order) {
      int mine = candidates.get(name).stream().mapToInt(dependency -> level.getOrDefault(dependency, -1) + 1)
          .max().orElse(0);
      level.put(name, mine);
      while (waves.size() <= mine) {
        waves.add(new ArrayList<>());
      }
      waves.get(mine).add(name);
    }
    return waves;
  }

  /**
   * Every template rendered, on all cores; a template that fails goes to {@code failures}. Warnings
   * of the filters are added sorted, so that they do not depend on the rendering order.
   */
  private static Map<String, String> renderAll(DockerPkgConfig config, Map<String, Changelog> images,
      Map<String, String> failures, List<String> warnings, RenderCache cache) {
    List<TemplateWarning> filterWarnings = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> known = knownImages(config, images);
    RenderCache.Scope scope = cache.scope(config, known);
    // the template engine starts only when a template is not in the cache
    var templates = new Object() {
      private DockerPkgTemplates engine;

      synchronized DockerPkgTemplates get() {
        if (engine == null) {
          engine = new DockerPkgTemplates(config, known);
        }
        return engine;
      }
    };
    Map<String, String> rendered = new java.util.concurrent.ConcurrentSkipListMap<>();
    images.entrySet().parallelStream().forEach(image -> {
      Path template = template(image.getValue());
      try {
        String text = dev.berth.text.TextFiles.read(template);
        Optional<String> key = scope.key(text);
        RenderCache.Entry entry = key.flatMap(scope::get).orElse(null);
        if (entry == null) {
          DockerPkgTemplates.Rendering rendering = templates.get().render(template, text);
          entry = new RenderCache.Entry(rendering.dockerfile(), rendering.warnings());
          RenderCache.Entry made = entry;
          key.ifPresent(k -> scope.put(k, made));
        }
        filterWarnings.addAll(entry.warnings());
        String dockerfile = entry.dockerfile();
        checkNumericUser(config, template, dockerfile);
        rendered.put(image.getKey(), dockerfile);
      } catch (dev.berth.text.TextFileException e) {
        failures.put(image.getKey(), e.getMessage());
      }
    });
    synchronized (filterWarnings) {
      filterWarnings.stream().map(TemplateWarning::message).distinct().sorted().forEach(warnings::add);
    }
    return rendered;
  }

  /** The tree images a Dockerfile names in its FROM and COPY/ADD --from lines (by their full reference). */
  private static Set<String> baseLineReferences(String dockerfile, Map<String, String> namesByReference) {
    Set<String> out = new TreeSet<>();
    for (String line : dockerfile.split("\n")) {
      String upper = line.stripLeading().toUpperCase(java.util.Locale.ROOT);
      if (!upper.startsWith("FROM") && !upper.contains("--FROM=")) {
        continue;
      }
      namesByReference.forEach((reference, name) -> {
        int at = line.indexOf(reference);
        int end = at + reference.length();
        if (at >= 0 && (end == line.length() || !Character.isLetterOrDigit(line.charAt(end))
            && ".-_".indexOf(line.charAt(end)) < 0)) {
          out.add(name);
        }
      });
    }
    return out;
  }

  /** What {@code image_tag} can name: the tree's images, then {@code base_images}. */
  private static List<String> knownImages(DockerPkgConfig config, Map<String, Changelog> images) {
    List<String> known = new ArrayList<>();
    images.forEach((name, changelog) -> known.add(config.fullName(name) + ":" + changelog.version()));
    known.addAll(config.baseImages());
    return known;
  }

  /** A failed image's place in the graph: no steps, so that its dependents can be blocked by it. */
  private static ImageSpec standIn(Path folder, Path template, String name, Platform platform) {
    return new ImageSpec(folder, template, name, "scratch", platform, List.of(),
        new ImageSpec.RuntimeConfig(null, null, null, null, null, null, null, null, null), ImageSpec.Network.NONE,
        List.of(), List.of(), List.of(), List.of("{key}"));
  }

  /** docker-pkg's {@code force_numeric_user}: the last USER of the Dockerfile must be a number. */
  private static void checkNumericUser(DockerPkgConfig config, Path template, String dockerfile) {
    if (!config.forceNumericUser()) {
      return;
    }
    String[] lines = dockerfile.split("\n", -1);
    for (int i = lines.length - 1; i >= 0; i--) {
      if (lines[i].startsWith("USER ")) {
        if (!NUMERIC_USER.matcher(lines[i]).matches()) {
          throw new SpecException(template, i + 1, "'" + lines[i] + "' is not a numeric user, as force_numeric_user"
              + " requires (use the uid filter)");
        }
        return;
      }
    }
  }

  private static Path template(Changelog changelog) {
    return changelog.file().resolveSibling(TEMPLATE);
  }

  /** Whether the tree is read with its own config.yaml (then trees nested in it with theirs are theirs). */
  private static boolean ownConfig(Path tree, Path configFile) {
    return configFile == null || configFile.toAbsolutePath().normalize().equals(tree.resolve(DockerPkgConfig.FILE_NAME));
  }

  /**
   * Whether {@code dir} is the root of a docker-pkg tree of its own: it holds docker-pkg's
   * config.yaml and is no image folder (an image's config.yaml is one of its files).
   */
  public static boolean isRoot(Path dir) {
    return Files.isRegularFile(dir.resolve(DockerPkgConfig.FILE_NAME)) && !Files.isRegularFile(dir.resolve(TEMPLATE));
  }

  /**
   * Every folder with a template and a changelog, by the changelog's package name. Without an
   * explicit config, a folder that is a docker-pkg tree of its own is left to that tree.
   */
  private static Map<String, Changelog> scan(Path tree, boolean nestedRoots, List<String> warnings) {
    List<Path> folders = new ArrayList<>();
    try {
      Files.walkFileTree(tree, new java.nio.file.SimpleFileVisitor<>() {
        @Override
        public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
          String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
          if (!dir.equals(tree) && (name.startsWith(".") || name.equals("target") || nestedRoots && isRoot(dir))) {
            return java.nio.file.FileVisitResult.SKIP_SUBTREE;
          }
          folders.add(dir);
          return java.nio.file.FileVisitResult.CONTINUE;
        }
      });
      folders.sort(null);
    } catch (IOException | UncheckedIOException e) {
      throw new SpecException(tree, "cannot read the tree: " + e.getMessage());
    }
    Map<String, Changelog> images = new LinkedHashMap<>();
    for (Path folder : folders) {
      boolean template = Files.isRegularFile(folder.resolve(TEMPLATE));
      boolean changelog = Files.isRegularFile(folder.resolve(Changelog.FILE_NAME));
      if (template != changelog) {
        warnings.add(folder + ": ignored, it has a " + (template ? TEMPLATE : "changelog") + " but no "
            + (template ? "changelog" : TEMPLATE) + " (as docker-pkg does)");
      }
      if (!template || !changelog) {
        continue;
      }
      if (Files.isRegularFile(folder.resolve(BUILD_TEMPLATE))) {
        warnings.add(folder.resolve(BUILD_TEMPLATE) + ": ignored, as docker-pkg ignores it (write a multi-stage "
            + TEMPLATE + " instead)");
      }
      Changelog read;
      try {
        read = Changelog.read(folder).orElseThrow();
      } catch (IOException e) {
        throw new SpecException(folder.resolve(Changelog.FILE_NAME), "cannot be read");
      }
      Changelog previous = images.put(read.packageName(), read);
      if (previous != null) {
        throw new SpecException(read.file(), 1, "two images are named '" + read.packageName() + "': "
            + previous.file().getParent() + " and " + folder);
      }
    }
    if (images.isEmpty()) {
      throw new SpecException(tree, "no docker-pkg images (folders with " + TEMPLATE + " and changelog)");
    }
    return new TreeMap<>(images);
  }
}
