package dev.berth.dockerfile;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.berth.oci.Platform;
import dev.berth.spec.Changelog;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.stream.Stream;

/**
 * A docker-pkg tree: every folder with {@code Dockerfile.template} and {@code changelog} is an image
 * named by the changelog's package and tagged with its version. Templates are rendered with
 * Jinjava, docker-pkg's filters and its {@code config.yaml}; the rendered Dockerfiles go through
 * {@link DockerfileFrontend}. Dependencies are the tree images a rendered Dockerfile builds on or
 * copies from; a {@code control} file that says otherwise is reported.
 */
public final class DockerPkgTree {
  public static final String TEMPLATE = "Dockerfile.template";
  public static final String BUILD_TEMPLATE = "Dockerfile.build.template";

  private DockerPkgTree() {}

  /**
   * The tree's images in build order (each image's stages before it), the tree images each image
   * depends on, report lines (control files that disagree, unknown uids, unused arguments), and the
   * images whose rendered Dockerfile berth refuses, with the {@code file:line} error: they stay in
   * the tree (so that they fail alone and their dependents are blocked) as images with no steps.
   */
  public record Tree(DockerPkgConfig config, List<ImageSpec> images, Map<String, Set<String>> dependencies,
      List<String> warnings, Map<String, String> refused) {
    public Tree {
      images = List.copyOf(images);
      dependencies = Map.copyOf(dependencies);
      warnings = List.copyOf(warnings);
      refused = Map.copyOf(refused);
    }
  }

  /** {@code root} for linux/amd64; {@code configFile} null means {@code root/config.yaml} if there is one. */
  public static Tree load(Path root, Path configFile) {
    return load(root, configFile, Platform.LINUX_AMD64, DockerfileFrontend.Bases.NONE);
  }

  /** As {@link #load(Path, Path)}; {@code external} gives the environment of bases outside the tree. */
  public static Tree load(Path root, Path configFile, Platform platform, DockerfileFrontend.Bases external) {
    return load(root, configFile, platform, external, Map.of());
  }

  /** As {@link #load(Path, Path, Platform, DockerfileFrontend.Bases)}; {@code buildArgs} win over the config's. */
  public static Tree load(Path root, Path configFile, Platform platform, DockerfileFrontend.Bases external,
      Map<String, String> buildArgs) {
    Path tree = root.toAbsolutePath().normalize();
    Path defaultConfig = tree.resolve(DockerPkgConfig.FILE_NAME);
    DockerPkgConfig config = configFile != null ? DockerPkgConfig.load(configFile)
        : Files.isRegularFile(defaultConfig) ? DockerPkgConfig.load(defaultConfig) : DockerPkgConfig.empty();
    List<String> warnings = new ArrayList<>();
    Map<String, Changelog> images = scan(tree, warnings);
    Map<String, String> fullReferences = new TreeMap<>();
    Map<String, String> namesByReference = new HashMap<>();
    images.forEach((name, changelog) -> {
      String reference = config.fullName(name) + ":" + changelog.version();
      fullReferences.put(name, reference);
      namesByReference.put(reference, name);
    });

    DockerPkgFilters filters = new DockerPkgFilters(config, fullReferences, warnings::add);
    Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());
    filters.all().forEach(filter -> jinjava.getGlobalContext().registerFilter(filter));
    Map<String, String> rendered = new TreeMap<>();
    images.forEach((name, changelog) -> rendered.put(name, render(jinjava, config, template(changelog))));

    List<String> tags = List.of("{key}", "{version}");
    Map<String, String> arguments = new TreeMap<>(config.buildArgs());
    arguments.putAll(buildArgs);
    DockerfileFrontend firstPass = new DockerfileFrontend(platform,
        bases(config, namesByReference, name -> Optional.empty(), external, warnings));
    Map<String, Set<String>> dependencies = new TreeMap<>();
    Map<String, String> refused = new TreeMap<>();
    images.forEach((name, changelog) -> {
      DockerfileFrontend.Result result;
      try {
        result = firstPass.parse(changelog.file().getParent(), template(changelog), rendered.get(name), name,
            arguments, tags);
      } catch (SpecException e) {  // this image fails alone; the rest of the tree is built
        refused.put(name, e.getMessage());
        dependencies.put(name, Set.of());
        return;
      }
      Set<String> needs = new TreeSet<>();
      result.images().forEach(spec -> needs.addAll(DockerfileFrontend.dependencies(spec)));
      result.images().forEach(spec -> needs.remove(spec.name()));
      dependencies.put(name, needs);
    });
    List<String> order = buildOrder(images, dependencies, rendered, fullReferences);

    Map<String, Map<String, String>> environments = new HashMap<>();
    DockerfileFrontend frontend = new DockerfileFrontend(platform,
        bases(config, namesByReference, name -> Optional.ofNullable(environments.get(name)), external, warnings));
    List<ImageSpec> specs = new ArrayList<>();
    for (String name : order) {
      Changelog changelog = images.get(name);
      if (refused.containsKey(name)) {
        specs.add(refusedImage(name, changelog, platform, tags));
        continue;
      }
      var result = frontend.parse(changelog.file().getParent(), template(changelog), rendered.get(name), name,
          arguments, tags);
      environments.put(name, result.environment());
      specs.addAll(result.images());
      warnings.addAll(result.warnings());
      ControlFile.read(changelog.file().getParent())
          .ifPresent(control -> compare(control, dependencies.get(name), images.keySet(), warnings));
    }
    return new Tree(config, specs, dependencies, warnings, refused);
  }

  /** The stand-in for an image whose Dockerfile is refused: no steps; the plan marks it failed. */
  private static ImageSpec refusedImage(String name, Changelog changelog, Platform platform, List<String> tags) {
    return new ImageSpec(changelog.file().getParent(), template(changelog), name, "scratch", platform, List.of(),
        new ImageSpec.RuntimeConfig(null, null, null, null, null, null, null, null, null), ImageSpec.Network.NONE,
        List.of(), List.of(), List.of(), tags);
  }

  private static Path template(Changelog changelog) {
    return changelog.file().resolveSibling(TEMPLATE);
  }

  private static Map<String, Changelog> scan(Path tree, List<String> warnings) {
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(tree)) {
      folders = walk.filter(Files::isDirectory)
          .filter(dir -> tree.relativize(dir).toString().isEmpty() || Stream.of(tree.relativize(dir).toString()
              .split("/")).noneMatch(part -> part.startsWith(".") || part.equals("target")))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Changelog> images = new TreeMap<>();
    for (Path folder : folders) {
      boolean template = Files.isRegularFile(folder.resolve(TEMPLATE));
      boolean changelog = Files.isRegularFile(folder.resolve(Changelog.FILE_NAME));
      if (template && !changelog) {
        warnings.add(folder + ": ignored, it has a " + TEMPLATE + " but no changelog");
      }
      if (!template || !changelog) {
        continue;
      }
      if (Files.isRegularFile(folder.resolve(BUILD_TEMPLATE))) {
        throw new SpecException(folder.resolve(BUILD_TEMPLATE), "docker-pkg build images are not supported;"
            + " write a multi-stage " + TEMPLATE + " (FROM … AS build, COPY --from=build) instead");
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
    return images;
  }

  private static String render(Jinjava jinjava, DockerPkgConfig config, Path template) {
    String text = dev.berth.text.TextFiles.read(template);
    RenderResult result = jinjava.renderForResult(text, new LinkedHashMap<>(config.templateVariables()));
    for (TemplateError error : result.getErrors()) {
      if (error.getSeverity() != TemplateError.ErrorType.WARNING) {
        throw new SpecException(template, error.getLineno(), "template error: " + reason(error));
      }
    }
    return result.getOutput();
  }

  private static String reason(TemplateError error) {
    Throwable cause = error.getException();
    while (cause != null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    String message = error.getMessage();
    return message.startsWith("UnknownTokenException: Unknown token found: ")
        ? "undefined variable or filter in '" + message.substring("UnknownTokenException: Unknown token found: ".length())
            + "'"
        : message;
  }

  private static DockerfileFrontend.Bases bases(DockerPkgConfig config, Map<String, String> namesByReference,
      java.util.function.Function<String, Optional<Map<String, String>>> treeEnvironment,
      DockerfileFrontend.Bases external, List<String> warnings) {
    return new DockerfileFrontend.Bases() {
      @Override
      public Optional<String> treeImage(String reference) {
        String name = namesByReference.get(reference);
        if (name != null) {
          return Optional.of(name);
        }
        for (Map.Entry<String, String> entry : namesByReference.entrySet()) {
          String repository = entry.getKey().substring(0, entry.getKey().lastIndexOf(':'));
          if (reference.startsWith(repository + ":") && !warnings.contains(unpinned(reference, entry))) {
            warnings.add(unpinned(reference, entry));
          }
        }
        return Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> environment(String base) {
        return namesByReference.containsValue(base) ? treeEnvironment.apply(base) : external.environment(base);
      }
    };
  }

  private static String unpinned(String reference, Map.Entry<String, String> entry) {
    return "'" + reference + "' names tree image '" + entry.getValue() + "' at another tag than its changelog's ("
        + entry.getKey() + "); it is used from the store or registry, not built first (use image_tag)";
  }

  private static List<String> buildOrder(Map<String, Changelog> images, Map<String, Set<String>> dependencies,
      Map<String, String> rendered, Map<String, String> fullReferences) {
    List<String> order = new ArrayList<>();
    Map<String, Integer> state = new HashMap<>();
    for (String name : images.keySet()) {
      visit(name, images, dependencies, rendered, fullReferences, state, order, new ArrayList<>());
    }
    return order;
  }

  private static void visit(String name, Map<String, Changelog> images, Map<String, Set<String>> dependencies,
      Map<String, String> rendered, Map<String, String> fullReferences, Map<String, Integer> state,
      List<String> order, List<String> path) {
    Integer seen = state.get(name);
    if (seen != null && seen == 2) {
      return;
    }
    path.add(name);
    if (seen != null) {
      List<String> cycle = path.subList(path.indexOf(name), path.size());
      String from = path.get(path.size() - 2);
      Path template = template(images.get(from));
      throw new SpecException(template, lineReferencing(template, rendered.get(from), fullReferences.get(name)),
          "dependency cycle between templates: " + String.join(" -> ", cycle));
    }
    state.put(name, 1);
    for (String dependency : dependencies.get(name)) {
      visit(dependency, images, dependencies, rendered, fullReferences, state, order, path);
    }
    path.remove(path.size() - 1);
    state.put(name, 2);
    order.add(name);
  }

  private static int lineReferencing(Path file, String text, String reference) {
    for (Instruction instruction : DockerfileParser.parse(file, text).instructions()) {
      if ((instruction.keyword().equals("FROM") || instruction.keyword().equals("COPY"))
          && (instruction.text().contains(reference) || instruction.flags().containsValue(reference))) {
        return instruction.line();
      }
    }
    return 0;
  }

  private static void compare(ControlFile control, Set<String> used, Set<String> treeImages, List<String> warnings) {
    for (String listed : control.depends()) {
      if (treeImages.contains(listed) && !used.contains(listed)) {
        warnings.add(control.file() + ": Depends lists '" + listed + "', which the Dockerfile does not build on");
      }
    }
    for (String dependency : used) {
      if (!control.depends().contains(dependency)) {
        warnings.add(control.file() + ": Depends does not list '" + dependency + "', which the Dockerfile builds on");
      }
    }
  }
}
