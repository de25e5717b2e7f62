package dev.berth.dockerfile;

import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One Dockerfile's conversion into stage images: mutable while it runs, never shared. */
final class DockerfileConversion {
  private static final Pattern STAGE_NAME = Pattern.compile("[a-z][a-z0-9._-]*");

  final DockerfileParser.Parsed parsed;
  final BuildContext context;
  final String name;
  final Map<String, String> buildArgs;
  final List<String> tags;
  final Platform platform;
  final DockerfileFrontend.Bases bases;
  /** Secret files by id, for RUN --mount=type=secret ({@code --secret id=ID,src=FILE}). */
  final Map<String, java.nio.file.Path> secrets;
  /** SSH agent sockets by id, for RUN --mount=type=ssh ({@code --ssh default}). */
  final Map<String, java.nio.file.Path> sshAgents;
  private final String target;
  final Map<String, String> globalArgs = new LinkedHashMap<>();
  final Set<String> usedBuildArgs = new TreeSet<>();
  final List<DockerfileStage> stages = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  /** The stage built as the image: --target's, else the last; -1 until every stage is read. */
  private int finalIndex = -1;

  DockerfileConversion(DockerfileParser.Parsed parsed, BuildContext context, String name, Map<String, String> buildArgs,
      List<String> tags, Platform platform, DockerfileFrontend.Bases bases, String target,
      Map<String, java.nio.file.Path> secrets, Map<String, java.nio.file.Path> sshAgents) {
    this.secrets = secrets;
    this.sshAgents = sshAgents;
    this.target = target == null ? null : target.toLowerCase(Locale.ROOT);
    this.platform = platform;
    this.bases = bases;
    this.parsed = parsed;
    this.context = context;
    this.name = name;
    this.buildArgs = Map.copyOf(buildArgs);
    this.tags = tags;
  }

  DockerfileFrontend.Result run() {
    Map<String, String> automatic = automaticArgs();
    DockerfileStage stage = null;
    for (Instruction instruction : parsed.instructions()) {
      try {
        if (instruction.keyword().equals("FROM")) {
          stage = from(instruction, automatic);
          stages.add(stage);
          stage.markLines(instruction.line());
        } else if (stage == null) {
          if (!instruction.keyword().equals("ARG")) {
            throw new IllegalArgumentException(instruction.keyword() + " before the first FROM (only ARG may come"
                + " before it)");
          }
          globalArg(instruction, automatic);
        } else {
          stage.apply(instruction);
          stage.markLines(instruction.line());
        }
      } catch (IllegalArgumentException e) {
        throw new SpecException(parsed.file(), instruction.line(), e.getMessage());
      }
    }
    if (stage == null) {
      throw new SpecException(parsed.file(), "no FROM instruction");
    }
    finalIndex = stages.size() - 1;
    if (target != null) {
      DockerfileStage targeted = stageNamed(target);
      if (targeted == null) {
        throw new SpecException(parsed.file(), "target stage '" + target + "' could not be found");
      }
      finalIndex = targeted.index;
      stage = targeted;
    }
    Set<String> unused = new TreeSet<>(buildArgs.keySet());
    unused.removeAll(usedBuildArgs);
    unused.removeAll(DockerfileFrontend.PROXY_ARGS);
    if (!unused.isEmpty()) {
      warnings.add(parsed.file() + ": build arguments " + unused + " were not consumed by any ARG");
    }
    List<ImageSpec> images = new ArrayList<>();
    Set<Integer> needed = new TreeSet<>();
    need(finalIndex, needed);
    for (int index : needed) {
      images.add(stages.get(index).spec());
    }
    return new DockerfileFrontend.Result(images, stage.knownEnvironment(), warnings);
  }

  /** The index of the stage built as the image (the last one while stages are still read). */
  int finalIndex() {
    return finalIndex >= 0 ? finalIndex : stages.size() - 1;
  }

  private void need(int index, Set<Integer> needed) {
    if (!needed.add(index)) {
      return;
    }
    for (int dependency : stages.get(index).stageDependencies) {
      need(dependency, needed);
    }
  }

  /**
   * BuildKit's automatic platform args: TARGET* the platform built for, BUILD* the machine building
   * (berth runs the steps of a {@code FROM --platform=$BUILDPLATFORM} stage natively on it).
   */
  private Map<String, String> automaticArgs() {
    Platform build = Platform.host();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("TARGETPLATFORM", platform.toString());
    out.put("TARGETOS", platform.os());
    out.put("TARGETARCH", platform.architecture());
    out.put("TARGETVARIANT", platform.variant() == null ? "" : platform.variant());
    out.put("BUILDPLATFORM", build.toString());
    out.put("BUILDOS", build.os());
    out.put("BUILDARCH", build.architecture());
    out.put("BUILDVARIANT", build.variant() == null ? "" : build.variant());
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
        globalArgs.put(key, declared.getValue() != null ? declared.getValue() : automatic.get(key));
      }
    }
  }

  /** The value of an automatic platform arg ({@code TARGETARCH}…) a stage's {@code ARG NAME} takes, or null. */
  String automaticArg(String key) {
    return automaticArgs().get(key);
  }

  private DockerfileStage from(Instruction instruction, Map<String, String> automatic) {
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
      for (DockerfileStage earlier : stages) {
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
    DockerfileStage parent = stageNamed(reference);
    DockerfileStage stage = new DockerfileStage(this, index, stageName, instruction.line(), stagePlatform);
    if (parent != null) {
      stage.inheritFrom(parent);
    } else if (reference.equalsIgnoreCase("scratch")) {
      stage.base = "scratch";
      stage.baseEnvironment = Map.of();
    } else {
      dev.berth.spec.BaseReference.problem(reference).ifPresent(problem -> {
        throw new IllegalArgumentException(problem);
      });
      stage.base = bases.treeImage(reference).orElse(reference);
      Optional<Map<String, String>> environment = bases.environment(stage.base);
      stage.baseKnown = environment.isPresent();
      stage.baseEnvironment = environment.orElse(DockerfileFrontend.envMap(DockerfileFrontend.DEFAULT_PATH_ENV));
    }
    stage.start();
    OnBuildTriggers.run(stage, parent != null ? parent.onBuild : bases.onBuild(stage.base), parsed);
    return stage;
  }

  private DockerfileStage stageNamed(String reference) {
    String lower = reference.toLowerCase(Locale.ROOT);
    for (DockerfileStage stage : stages) {
      if (lower.equals(stage.stageName)) {
        return stage;
      }
    }
    return null;
  }

  DockerfileStage stageForCopy(String from) {
    DockerfileStage named = stageNamed(from);
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
  Map<String, String> nameValues(Instruction instruction, ShellWords words, boolean valueOptional) {
    Map<String, String> out = new LinkedHashMap<>();
    String text = instruction.text();
    String[] split = ShellWords.firstRawWord(text, parsed.escape());
    if (!split[0].contains("=") && !valueOptional) {
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
}
