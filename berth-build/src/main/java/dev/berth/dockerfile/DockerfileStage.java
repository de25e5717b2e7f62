package dev.berth.dockerfile;

import dev.berth.oci.Platform;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.RunMount;
import dev.berth.spec.StepSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One stage: its steps and configuration as its instructions come. */
final class DockerfileStage {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:-([0-9]{1,5}))?(?:/(tcp|udp|sctp))?");

  final DockerfileConversion conversion;
  final int index;
  final String stageName;
  final int line;
  final Platform stagePlatform;
  String base;
  DockerfileStage baseStage;
  boolean baseKnown = true;
  Map<String, String> baseEnvironment = Map.of();
  final Map<String, String> env = new LinkedHashMap<>();
  final Map<String, String> args = new LinkedHashMap<>();
  final List<StepSpec> steps = new ArrayList<>();
  /** The Dockerfile line of each step, for errors found while building it. */
  final List<Integer> stepLines = new ArrayList<>();
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
  String author;
  dev.berth.oci.ImageConfig.Healthcheck healthcheck;
  /** This stage's own ONBUILD triggers, for images built on it (a base's are run, never passed on). */
  final List<String> onBuild = new ArrayList<>();
  /** Directories kept between builds and secret files, from RUN --mount, for the stage's RUN steps. */
  final List<String> caches = new ArrayList<>();
  final List<ImageSpec.Secret> secrets = new ArrayList<>();

  DockerfileStage(DockerfileConversion conversion, int index, String stageName, int line, Platform stagePlatform) {
    this.conversion = conversion;
    this.index = index;
    this.stageName = stageName;
    this.line = line;
    this.stagePlatform = stagePlatform;
  }

  String imageName() {
    return isFinal() ? conversion.name
        : conversion.name + DockerfileFrontend.STAGE_SEPARATOR + (stageName == null ? "stage-" + index : stageName);
  }

  boolean isFinal() {
    return index == conversion.finalIndex();
  }

  void inheritFrom(DockerfileStage parent) {
    stageDependencies.add(parent.index);
    baseStage = parent;
    baseKnown = parent.baseKnown;
    baseEnvironment = parent.knownEnvironment();
    shell = parent.shell;
    workdir = parent.workdir;
  }

  void start() {
    if (!baseEnvironment.containsKey("PATH")) {
      Map<String, String> withPath = new LinkedHashMap<>(DockerfileFrontend.envMap(DockerfileFrontend.DEFAULT_PATH_ENV));
      withPath.putAll(baseEnvironment);
      baseEnvironment = withPath;
    }
    // FROM gives PATH a default, as Docker's does
    steps.add(new StepSpec.DefaultEnv(DockerfileFrontend.envMap(DockerfileFrontend.DEFAULT_PATH_ENV)));
    Map<String, String> proxies = new LinkedHashMap<>();
    conversion.buildArgs.forEach((key, value) -> {
      if (DockerfileFrontend.PROXY_ARGS.contains(key)) {
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

  ShellWords words() {
    return new ShellWords(this::lookup, conversion.parsed.escape());
  }

  /** The lines of the steps added since the last call: {@code line}. */
  void markLines(int line) {
    while (stepLines.size() < steps.size()) {
      stepLines.add(line);
    }
  }

  void apply(Instruction instruction) {
    switch (instruction.keyword()) {
      case "ARG" -> arg(instruction);
      case "ENV" -> env(instruction);
      case "RUN" -> run(instruction);
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
      case "LABEL" -> labels.putAll(conversion.nameValues(instruction, words(), false));
      case "EXPOSE" -> {
        for (String word : words().words(instruction.text())) {
          for (String port : word.strip().split("\\s+")) {  // EXPOSE $PORTS may hold several
            if (!port.isEmpty()) {
              expose.addAll(ports(port.toLowerCase(java.util.Locale.ROOT)));
            }
          }
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
      case "STOPSIGNAL" -> {
        stopSignal = words().word(instruction.text());
        if (!dev.berth.spec.StopSignal.isValid(stopSignal)) {
          throw new IllegalArgumentException(dev.berth.spec.StopSignal.problem(stopSignal));
        }
      }
      case "MAINTAINER" -> author = instruction.text();
      case "HEALTHCHECK" -> healthcheck = HealthcheckInstruction.parse(instruction);
      case "ONBUILD" -> onBuild.add(OnBuildTriggers.validated(instruction, conversion.parsed));
      case "COPY", "ADD" -> CopyInstruction.apply(this, instruction);
      default -> throw new IllegalArgumentException("unexpected instruction " + instruction.keyword());
    }
    if (!unknownReferences.isEmpty()) {
      conversion.warnings.add(conversion.parsed.file() + ":" + instruction.line() + ": the environment of base '"
          + baseName()
          + "' is unknown; " + unknownReferences.stream().map(v -> "$" + v).toList() + " expanded to ''");
      unknownReferences.clear();
    }
  }

  private void arg(Instruction instruction) {
    Map<String, String> added = new LinkedHashMap<>();
    for (Map.Entry<String, String> declared : conversion.nameValues(instruction, words(), true).entrySet()) {
      String key = declared.getKey();
      if (!ENV_NAME.matcher(key).matches()) {
        throw new IllegalArgumentException("invalid ARG name '" + key + "'");
      }
      String value;
      if (conversion.buildArgs.containsKey(key)) {
        conversion.usedBuildArgs.add(key);
        value = conversion.buildArgs.get(key);
      } else if (declared.getValue() != null) {
        value = declared.getValue();
      } else if (conversion.globalArgs.get(key) != null) {
        value = conversion.globalArgs.get(key);
      } else {  // as BuildKit: ARG TARGETARCH in a stage brings in the automatic value
        value = conversion.automaticArg(key);
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
    Map<String, String> values = conversion.nameValues(instruction, words(), false);
    for (String key : values.keySet()) {
      if (!ENV_NAME.matcher(key).matches()) {
        throw new IllegalArgumentException("invalid environment variable name '" + key + "'");
      }
    }
    env.putAll(values);
    steps.add(new StepSpec.Env(values));
  }

  private void run(Instruction instruction) {
    String mounts = instruction.flags().get("mount");
    List<RunMount> stepMounts = mounts == null ? List.of() : RunMounts.apply(this, mounts, words());
    String network = instruction.flags().get("network");
    if (network != null && !network.equals("default") && !network.equals("host") && !network.equals("none")) {
      throw new IllegalArgumentException("invalid RUN --network '" + network + "': default, none or host");
    }
    String security = instruction.flags().get("security");
    if (security != null && !security.equals("sandbox")) {
      throw new IllegalArgumentException(security.equals("insecure")
          ? "RUN --security=insecure is not supported (berth runs steps with Docker's default capabilities)"
          : "invalid RUN --security '" + security + "': sandbox or insecure");
    }
    // none: the step gets a network namespace of its own, with only its own loopback
    steps.add(new StepSpec.Run(command(instruction, "RUN"), "none".equals(network) ? ImageSpec.Network.NONE : null,
        stepMounts));
  }

  private Command command(Instruction instruction, String keyword) {
    if (instruction.execForm()) {
      if (instruction.arguments().isEmpty()) {
        throw new IllegalArgumentException(keyword + " has an empty exec form");
      }
      return new Command.Exec(instruction.arguments());
    }
    String script = instruction.heredocs().isEmpty() ? instruction.text() : HeredocRun.script(instruction);
    List<String> shebang = instruction.heredocs().isEmpty() ? null : HeredocRun.shebangCommand(instruction);
    if (shebang != null) {
      return new Command.Exec(shebang);
    }
    if (shell != null) {
      List<String> argv = new ArrayList<>(shell);
      argv.add(script);
      return new Command.Exec(argv);
    }
    return new Command.Shell(script);
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
    String resolved = path.startsWith("/") ? path  // kept as written, trailing slash too, as Docker 20.10 does
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

  /** Named when asked: whether a stage is the last one is known only at the end. */
  String baseName() {
    return baseStage != null ? baseStage.imageName() : base;
  }

  ImageSpec spec() {
    ImageSpec.RuntimeConfig config = new ImageSpec.RuntimeConfig(Map.of(), null, null, entrypoint, cmd,
        expose, labels, volumes, stopSignal, healthcheck, onBuild, shell, author);
    return new ImageSpec(conversion.context.folder(), conversion.parsed.file(), imageName(), baseName(),
        stagePlatform, steps, config,
        ImageSpec.Network.HOST, caches, secrets, List.of(), isFinal() ? conversion.tags : List.of("{key}"), stepLines);
  }
}
