package dev.berth.dockerfile;

import dev.berth.graph.ImageGraph;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.spec.Changelog;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a Dockerfile into berth image specs. Every stage the last one needs (through FROM or COPY
 * --from) becomes its own image named {@code IMAGE--STAGE} (or {@code IMAGE--stage-N} when
 * unnamed), so the scheduler builds stages as dependencies; the last stage is the image itself.
 * Variables are substituted where Docker substitutes them, with its ARG and ENV scoping.
 */
public final class DockerfileFrontend {
  public static final String FILE_NAME = "Dockerfile";
  /** Between an image's name and its stage's in the name of a stage image. */
  public static final String STAGE_SEPARATOR = "--";
  /** Build arguments Docker knows without an ARG: given with --build-arg, they reach every RUN. */
  public static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
      "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");
  private static final List<String> DEFAULT_PATH_ENV =
      List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9._-]*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?(?:/(tcp|udp|sctp))?");
  private static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");

  private final Platform platform;
  private final Bases bases;

  /** What the frontend needs to know about images a Dockerfile names. */
  public interface Bases {
    /** The tree image a FROM or COPY --from reference names, if it names one (docker-pkg: its full reference). */
    Optional<String> treeImage(String reference);

    /**
     * The environment of a base (a tree image's name, or a reference), for {@code $VAR} in the
     * instructions after FROM; empty when unknown.
     */
    Optional<Map<String, String>> environment(String base);

    Bases NONE = new Bases() {
      @Override
      public Optional<String> treeImage(String reference) {
        return Optional.empty();
      }

      @Override
      public Optional<Map<String, String>> environment(String base) {
        return Optional.empty();
      }
    };
  }

  /**
   * The images of one Dockerfile, stages first, the image itself last; its final environment as far
   * as it is known (for images built on it), and warnings worth a report line.
   */
  public record Result(List<ImageSpec> images, Map<String, String> environment, List<String> warnings) {
    public Result {
      images = List.copyOf(images);
      environment = Map.copyOf(environment);
      warnings = List.copyOf(warnings);
    }

    public ImageSpec image() {
      return images.get(images.size() - 1);
    }
  }

  public DockerfileFrontend(Platform platform, Bases bases) {
    this.platform = platform;
    this.bases = bases;
  }

  /** {@code folder/Dockerfile} as the image named after the folder, for linux/amd64. */
  public static List<ImageSpec> parse(Path folder, Map<String, String> buildArgs) {
    Path absolute = folder.toAbsolutePath().normalize();
    return new DockerfileFrontend(Platform.LINUX_AMD64, Bases.NONE)
        .parse(absolute, absolute.getFileName().toString(), buildArgs).images();
  }

  /** {@code folder/Dockerfile} as the image {@code name}. */
  public Result parse(Path folder, String name, Map<String, String> buildArgs) {
    Path file = folder.resolve(FILE_NAME);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new SpecException(file, "no such file");
    } catch (IOException e) {
      throw new SpecException(file, "cannot read: " + e.getMessage());
    }
    boolean changelog = Files.isRegularFile(folder.resolve(Changelog.FILE_NAME));
    return parse(folder, file, text, name, buildArgs,
        changelog ? List.of("{key}", "{version}") : List.of("{key}"));
  }

  /**
   * Dockerfile {@code text} (read from, or rendered for, {@code file}) with {@code folder} as the
   * build context; the image gets {@code tags}, its stages {@code {key}} only.
   */
  public Result parse(Path folder, Path file, String text, String name, Map<String, String> buildArgs,
      List<String> tags) {
    if (!ImageReference.isValidRepository(name)) {
      throw new SpecException(file, "invalid image name '" + name + "'");
    }
    DockerfileParser.Parsed parsed = DockerfileParser.parse(file, text);
    BuildContext context = new BuildContext(folder);
    return new Conversion(parsed, context, name, buildArgs, tags).run();
  }

  /** The images {@code spec} needs built first: its base and every COPY --from image of the tree. */
  public static Set<String> dependencies(ImageSpec spec) {
    Set<String> out = new TreeSet<>();
    if (ImageGraph.namesTreeImage(spec.base())) {
      out.add(spec.base());
    }
    for (StepSpec step : spec.steps()) {
      if (step instanceof StepSpec.CopyFrom copy && ImageGraph.namesTreeImage(copy.image())) {
        out.add(copy.image());
      }
    }
    return out;
  }

  /** Whether {@code name} is a stage image rather than an image of the tree in its own right. */
  public static boolean isStage(String name) {
    return name.contains(STAGE_SEPARATOR);
  }

  /** One Dockerfile's conversion: mutable while it runs, never shared. */
  private final class Conversion {
    private final DockerfileParser.Parsed parsed;
    private final BuildContext context;
    private final String name;
    private final Map<String, String> buildArgs;
    private final List<String> tags;
    private final Map<String, String> globalArgs = new LinkedHashMap<>();
    private final Set<String> usedBuildArgs = new TreeSet<>();
    private final List<Stage> stages = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    Conversion(DockerfileParser.Parsed parsed, BuildContext context, String name, Map<String, String> buildArgs,
        List<String> tags) {
      this.parsed = parsed;
      this.context = context;
      this.name = name;
      this.buildArgs = Map.copyOf(buildArgs);
      this.tags = tags;
    }

    Result run() {
      Map<String, String> automatic = automaticArgs();
      Stage stage = null;
      for (Instruction instruction : parsed.instructions()) {
        try {
          if (instruction.keyword().equals("FROM")) {
            stage = from(instruction, automatic);
            stages.add(stage);
          } else if (stage == null) {
            if (!instruction.keyword().equals("ARG")) {
              throw new IllegalArgumentException(instruction.keyword() + " before the first FROM (only ARG may come"
                  + " before it)");
            }
            globalArg(instruction, automatic);
          } else {
            stage.apply(instruction);
          }
        } catch (IllegalArgumentException e) {
          throw new SpecException(parsed.file(), instruction.line(), e.getMessage());
        }
      }
      if (stage == null) {
        throw new SpecException(parsed.file(), "no FROM instruction");
      }
      Set<String> unused = new TreeSet<>(buildArgs.keySet());
      unused.removeAll(usedBuildArgs);
      unused.removeAll(PROXY_ARGS);
      if (!unused.isEmpty()) {
        warnings.add(parsed.file() + ": build arguments " + unused + " were not consumed by any ARG");
      }
      List<ImageSpec> images = new ArrayList<>();
      Set<Integer> needed = new TreeSet<>();
      need(stages.size() - 1, needed);
      for (int index : needed) {
        images.add(stages.get(index).spec());
      }
      return new Result(images, stage.knownEnvironment(), warnings);
    }

    private void need(int index, Set<Integer> needed) {
      if (!needed.add(index)) {
        return;
      }
      for (int dependency : stages.get(index).stageDependencies) {
        need(dependency, needed);
      }
    }

    private Map<String, String> automaticArgs() {
      Map<String, String> out = new LinkedHashMap<>();
      out.put("TARGETPLATFORM", platform.toString());
      out.put("TARGETOS", platform.os());
      out.put("TARGETARCH", platform.architecture());
      out.put("TARGETVARIANT", platform.variant() == null ? "" : platform.variant());
      out.put("BUILDPLATFORM", platform.toString());
      out.put("BUILDOS", platform.os());
      out.put("BUILDARCH", platform.architecture());
      out.put("BUILDVARIANT", platform.variant() == null ? "" : platform.variant());
      return out;
    }

    private void globalArg(Instruction instruction, Map<String, String> automatic) {
      ShellWords words = new ShellWords(key -> globalArgs.containsKey(key) ? globalArgs.get(key) : automatic.get(key),
          parsed.escape());
      for (Map.Entry<String, String> declared : nameValues(instruction, words, true).entrySet()) {
        String key = declared.getKey();
        if (buildArgs.containsKey(key)) {
          usedBuildArgs.add(key);
          globalArgs.put(key, buildArgs.get(key));
        } else {
          globalArgs.put(key, declared.getValue());
        }
      }
    }

    private Stage from(Instruction instruction, Map<String, String> automatic) {
      ShellWords words = new ShellWords(key -> globalArgs.containsKey(key) ? globalArgs.get(key) : automatic.get(key),
          parsed.escape());
      List<String> parts = words.words(instruction.text());
      String stageName = null;
      if (parts.size() == 3 && parts.get(1).equalsIgnoreCase("AS")) {
        stageName = parts.get(2).toLowerCase(Locale.ROOT);
        if (!STAGE_NAME.matcher(stageName).matches()) {
          throw new IllegalArgumentException("invalid stage name '" + parts.get(2)
              + "': a letter, then letters, digits, '.', '_' or '-'");
        }
        for (Stage earlier : stages) {
          if (stageName.equals(earlier.stageName)) {
            throw new IllegalArgumentException("stage name '" + stageName + "' is used twice");
          }
        }
      } else if (parts.size() != 1) {
        throw new IllegalArgumentException("FROM takes IMAGE [AS NAME], not '" + instruction.text() + "'");
      }
      Platform stagePlatform = platform;
      String platformFlag = instruction.flags().get("platform");
      if (platformFlag != null) {
        stagePlatform = Platform.parse(words.word(platformFlag));
      }
      int index = stages.size();
      String reference = parts.get(0);
      if (reference.isEmpty()) {
        throw new IllegalArgumentException("FROM names no image (an ARG it uses may be unset)");
      }
      Stage parent = stageNamed(reference);
      Stage stage = new Stage(index, stageName, instruction.line(), stagePlatform);
      if (parent != null) {
        stage.inheritFrom(parent);
      } else if (reference.equalsIgnoreCase("scratch")) {
        stage.base = "scratch";
        stage.baseEnvironment = Map.of();
      } else {
        stage.base = bases.treeImage(reference).orElse(reference);
        Optional<Map<String, String>> environment = bases.environment(stage.base);
        stage.baseKnown = environment.isPresent();
        stage.baseEnvironment = environment.orElse(envMap(DEFAULT_PATH_ENV));
      }
      stage.start();
      return stage;
    }

    private Stage stageNamed(String reference) {
      String lower = reference.toLowerCase(Locale.ROOT);
      for (Stage stage : stages) {
        if (lower.equals(stage.stageName)) {
          return stage;
        }
      }
      return null;
    }

    private Stage stageForCopy(String from) {
      Stage named = stageNamed(from);
      if (named != null) {
        return named;
      }
      if (from.chars().allMatch(Character::isDigit) && !from.isEmpty()) {
        int index = Integer.parseInt(from);
        if (index >= stages.size() - 1) {
          throw new IllegalArgumentException("COPY --from=" + from + " names no earlier stage");
        }
        return stages.get(index);
      }
      return null;
    }

    /** {@code KEY=VALUE ...} (or the old {@code KEY VALUE}) of ENV, LABEL and ARG, processed. */
    private Map<String, String> nameValues(Instruction instruction, ShellWords words, boolean valueOptional) {
      Map<String, String> out = new LinkedHashMap<>();
      String text = instruction.text();
      String firstToken = text.split("\\s+", 2)[0];
      if (!firstToken.contains("=") && !valueOptional) {
        String[] split = text.split("\\s+", 2);
        if (split.length < 2) {
          throw new IllegalArgumentException(instruction.keyword() + " " + split[0] + " needs a value (KEY=VALUE)");
        }
        out.put(words.word(split[0]), words.word(split[1]));
        return out;
      }
      for (String word : words.words(text)) {
        int equals = word.indexOf('=');
        if (equals < 0 && !valueOptional) {
          throw new IllegalArgumentException(instruction.keyword() + " '" + word + "' needs a value (KEY=VALUE)");
        }
        String key = equals < 0 ? word : word.substring(0, equals);
        if (key.isEmpty()) {
          throw new IllegalArgumentException(instruction.keyword() + " has an empty name in '" + word + "'");
        }
        out.put(key, equals < 0 ? null : word.substring(equals + 1));
      }
      return out;
    }

    /** One stage: its steps and configuration as its instructions come. */
    private final class Stage {
      final int index;
      final String stageName;
      final int line;
      final Platform stagePlatform;
      String base;
      Stage baseStage;
      boolean baseKnown = true;
      Map<String, String> baseEnvironment = Map.of();
      final Map<String, String> env = new LinkedHashMap<>();
      final Map<String, String> args = new LinkedHashMap<>();
      final List<StepSpec> steps = new ArrayList<>();
      final Set<Integer> stageDependencies = new LinkedHashSet<>();
      final Set<String> unknownReferences = new TreeSet<>();
      List<String> shell;
      String workdir;
      List<String> entrypoint;
      List<String> cmd;
      final List<String> expose = new ArrayList<>();
      final Map<String, String> labels = new LinkedHashMap<>();
      final List<String> volumes = new ArrayList<>();
      String stopSignal;

      Stage(int index, String stageName, int line, Platform stagePlatform) {
        this.index = index;
        this.stageName = stageName;
        this.line = line;
        this.stagePlatform = stagePlatform;
      }

      String imageName() {
        return isFinal() ? name : name + STAGE_SEPARATOR + (stageName == null ? "stage-" + index : stageName);
      }

      boolean isFinal() {
        return index == stages.size() - 1;
      }

      void inheritFrom(Stage parent) {
        stageDependencies.add(parent.index);
        baseStage = parent;
        baseKnown = parent.baseKnown;
        baseEnvironment = parent.knownEnvironment();
        shell = parent.shell;
        workdir = parent.workdir;
      }

      void start() {
        if (!baseEnvironment.containsKey("PATH")) {
          Map<String, String> withPath = new LinkedHashMap<>(envMap(DEFAULT_PATH_ENV));
          withPath.putAll(baseEnvironment);
          baseEnvironment = withPath;
        }
        steps.add(new StepSpec.DefaultEnv(envMap(DEFAULT_PATH_ENV)));  // FROM gives PATH a default, as Docker's does
        Map<String, String> proxies = new LinkedHashMap<>();
        buildArgs.forEach((key, value) -> {
          if (PROXY_ARGS.contains(key)) {
            proxies.put(key, value);
          }
        });
        if (!proxies.isEmpty()) {
          steps.add(new StepSpec.BuildArgs(proxies));
        }
      }

      Map<String, String> knownEnvironment() {
        Map<String, String> out = new LinkedHashMap<>(baseEnvironment);
        out.putAll(env);
        return out;
      }

      private String lookup(String key) {
        if (env.containsKey(key)) {
          return env.get(key);
        }
        if (args.containsKey(key)) {
          return args.get(key);
        }
        if (baseEnvironment.containsKey(key)) {
          return baseEnvironment.get(key);
        }
        if (!baseKnown) {
          unknownReferences.add(key);
        }
        return null;
      }

      private ShellWords words() {
        return new ShellWords(this::lookup, parsed.escape());
      }

      void apply(Instruction instruction) {
        switch (instruction.keyword()) {
          case "ARG" -> arg(instruction);
          case "ENV" -> env(instruction);
          case "RUN" -> steps.add(new StepSpec.Run(command(instruction, "RUN")));
          case "CMD" -> cmd = commandList(instruction);
          case "ENTRYPOINT" -> entrypoint = commandList(instruction);
          case "SHELL" -> {
            shell = List.copyOf(instruction.arguments());
            steps.add(new StepSpec.Shell(shell));
          }
          case "WORKDIR" -> workdir(instruction);
          case "USER" -> {
            String user = words().word(instruction.text());
            if (user.isBlank()) {
              throw new IllegalArgumentException("USER names no user (a variable it uses may be unset)");
            }
            steps.add(new StepSpec.User(user));
          }
          case "LABEL" -> labels.putAll(nameValues(instruction, words(), false));
          case "EXPOSE" -> {
            for (String port : words().words(instruction.text())) {
              expose.addAll(ports(port));
            }
          }
          case "VOLUME" -> {
            List<String> paths = instruction.execForm()
                ? instruction.arguments().stream().map(words()::word).toList()
                : words().words(instruction.text());
            for (String path : paths) {
              if (path.isBlank()) {
                throw new IllegalArgumentException("VOLUME has an empty path");
              }
              volumes.add(path);
            }
          }
          case "STOPSIGNAL" -> stopSignal = words().word(instruction.text());
          case "COPY", "ADD" -> copy(instruction);
          default -> throw new IllegalArgumentException("unexpected instruction " + instruction.keyword());
        }
        if (!unknownReferences.isEmpty()) {
          warnings.add(parsed.file() + ":" + instruction.line() + ": the environment of base '" + baseName()
              + "' is unknown; " + unknownReferences.stream().map(v -> "$" + v).toList() + " expanded to ''");
          unknownReferences.clear();
        }
      }

      private void arg(Instruction instruction) {
        Map<String, String> added = new LinkedHashMap<>();
        for (Map.Entry<String, String> declared : nameValues(instruction, words(), true).entrySet()) {
          String key = declared.getKey();
          if (!ENV_NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid ARG name '" + key + "'");
          }
          String value;
          if (buildArgs.containsKey(key)) {
            usedBuildArgs.add(key);
            value = buildArgs.get(key);
          } else if (declared.getValue() != null) {
            value = declared.getValue();
          } else {
            value = globalArgs.get(key);
          }
          if (value != null) {
            args.put(key, value);
            added.put(key, value);
          }
        }
        if (!added.isEmpty()) {
          steps.add(new StepSpec.BuildArgs(added));
        }
      }

      private void env(Instruction instruction) {
        Map<String, String> values = nameValues(instruction, words(), false);
        for (String key : values.keySet()) {
          if (!ENV_NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid environment variable name '" + key + "'");
          }
        }
        env.putAll(values);
        steps.add(new StepSpec.Env(values));
      }

      private Command command(Instruction instruction, String keyword) {
        if (instruction.execForm()) {
          if (instruction.arguments().isEmpty()) {
            throw new IllegalArgumentException(keyword + " has an empty exec form");
          }
          return new Command.Exec(instruction.arguments());
        }
        if (shell != null) {
          List<String> argv = new ArrayList<>(shell);
          argv.add(instruction.text());
          return new Command.Exec(argv);
        }
        return new Command.Shell(instruction.text());
      }

      private List<String> commandList(Instruction instruction) {
        if (instruction.execForm()) {
          return instruction.arguments();
        }
        List<String> argv = new ArrayList<>(shell != null ? shell : Command.DEFAULT_SHELL);
        argv.add(instruction.text());
        return argv;
      }

      private void workdir(Instruction instruction) {
        String path = words().word(instruction.text());
        if (path.isBlank()) {
          throw new IllegalArgumentException("WORKDIR names no directory (a variable it uses may be unset)");
        }
        String resolved = path.startsWith("/") ? ImagePaths.normalize(path)
            : workdir != null ? ImagePaths.normalize(workdir + "/" + path) : path;
        workdir = resolved.startsWith("/") ? resolved : null;
        steps.add(new StepSpec.Workdir(resolved));
      }

      private List<String> ports(String port) {
        var matcher = PORT.matcher(port);
        if (!matcher.matches()) {
          throw new IllegalArgumentException("invalid port '" + port + "': PORT[-PORT][/tcp|udp|sctp]");
        }
        int first = Integer.parseInt(matcher.group(1));
        int last = matcher.group(2) == null ? first : Integer.parseInt(matcher.group(2));
        String protocol = matcher.group(3) == null ? "tcp" : matcher.group(3);
        if (first > 65535 || last > 65535 || last < first) {
          throw new IllegalArgumentException("invalid port '" + port + "'");
        }
        List<String> out = new ArrayList<>();
        for (int value = first; value <= last; value++) {
          out.add(value + "/" + protocol);
        }
        return out;
      }

      private void copy(Instruction instruction) {
        String keyword = instruction.keyword();
        ShellWords words = words();
        List<String> parts = instruction.execForm()
            ? instruction.arguments().stream().map(words::word).toList()
            : words.words(instruction.text());
        if (parts.size() < 2) {
          throw new IllegalArgumentException(keyword + " needs a source and a destination");
        }
        List<String> sources = parts.subList(0, parts.size() - 1);
        String dest = parts.get(parts.size() - 1);
        String owner = flag(instruction, "chown", words);
        String mode = flag(instruction, "chmod", words);
        if (mode != null && !MODE.matcher(mode).matches()) {
          throw new IllegalArgumentException("invalid --chmod '" + mode + "': an octal mode such as 0755");
        }
        String from = flag(instruction, "from", words);
        if (from != null) {
          // a wildcard may match one path: as Docker, that is checked when the copy runs
          copyFrom(from, sources, destination(dest, sources.size() > 1, keyword), owner, mode);
          return;
        }
        List<String> expanded = new ArrayList<>();
        for (String source : sources) {
          if (source.matches("(?i)(https?|git|ssh)://.*") || source.startsWith("git@")) {
            throw new IllegalArgumentException(keyword + " of a URL ('" + source + "') is not supported: berth builds"
                + " from local files only; download it in a RUN step or into the build context");
          }
          expanded.addAll(context.expand(source));
        }
        String resolvedDest = destination(dest, expanded.size() > 1, keyword);
        for (String source : expanded) {
          if (keyword.equals("ADD") && context.isArchive(source)) {
            if (owner != null || mode != null) {
              throw new IllegalArgumentException("ADD --chown/--chmod of a tar archive ('" + source
                  + "') is not supported; set ownership in a RUN step");
            }
            steps.add(new StepSpec.AddArchive(source, directory(resolvedDest)));
          } else {
            steps.add(new StepSpec.Copy(source, resolvedDest, owner, mode));
          }
        }
      }

      private void copyFrom(String from, List<String> sources, String dest, String owner, String mode) {
        String image;
        Stage stage = stageForCopy(from);
        if (stage != null) {
          stageDependencies.add(stage.index);
          image = stage.imageName();
        } else if (from.isEmpty()) {
          throw new IllegalArgumentException("COPY --from names no stage or image");
        } else {
          image = bases.treeImage(from).orElse(from);
        }
        for (String source : sources) {
          String absolute = ImagePaths.normalize("/" + source);
          steps.add(new StepSpec.CopyFrom(image, absolute, dest, owner, mode));
        }
      }

      private String flag(Instruction instruction, String flag, ShellWords words) {
        String value = instruction.flags().get(flag);
        return value == null ? null : words.word(value);
      }

      /** The destination, made absolute against a known WORKDIR; a directory keeps its trailing slash. */
      private String destination(String dest, boolean severalSources, String keyword) {
        if (dest.isEmpty()) {
          throw new IllegalArgumentException(keyword + " has an empty destination");
        }
        boolean directory = dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.") || dest.equals("..")
            || dest.endsWith("/..");
        if (severalSources && !directory) {
          throw new IllegalArgumentException(keyword + " of several sources needs a directory destination ending"
              + " with '/', not '" + dest + "'");
        }
        String absolute = dest.startsWith("/") ? dest : workdir != null ? workdir + "/" + dest : null;
        if (absolute == null) {
          return directory && !dest.endsWith("/") ? dest + "/" : dest;
        }
        String normalized = ImagePaths.normalize(absolute);
        return directory && !normalized.equals("/") ? normalized + "/" : normalized;
      }

      private String directory(String dest) {
        return dest.endsWith("/") || dest.equals("/") ? dest : dest + "/";
      }

      /** Named when asked: whether a stage is the last one is known only at the end. */
      String baseName() {
        return baseStage != null ? baseStage.imageName() : base;
      }

      ImageSpec spec() {
        ImageSpec.RuntimeConfig config = new ImageSpec.RuntimeConfig(Map.of(), null, null, entrypoint, cmd,
            expose, labels, volumes, stopSignal);
        return new ImageSpec(context.folder(), parsed.file(), imageName(), baseName(), stagePlatform, steps, config,
            ImageSpec.Network.HOST, List.of(), List.of(), List.of(), isFinal() ? tags : List.of("{key}"));
      }
    }
  }

  private static Map<String, String> envMap(List<String> entries) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : entries) {
      int equals = entry.indexOf('=');
      out.put(entry.substring(0, equals), entry.substring(equals + 1));
    }
    return out;
  }
}
