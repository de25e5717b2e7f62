package dev.berth.engine;

import dev.berth.layer.Compression;
import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.Json;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.StepSpec;
import dev.berth.spec.StepVisitor;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A prepared image as a Dockerfile for Docker's own builder, and the context that goes with it:
 * each step's files under {@code sN/}, with the modes the spec asks for already set in the context
 * (the legacy builder has no {@code --chmod}). Layers merged under /opt travel as the very tar the
 * native engine writes, extracted by {@code ADD}.
 *
 * <p>Where Docker's legacy builder cannot do what a spec says, the build is refused rather than done
 * differently: secrets (no per-step mounts: a secret would stay in a layer) and {@code COPY --from}
 * with a mode. Build-time cache mounts are not available there; the steps clean up as without them.
 */
final class GeneratedDockerfile {
  /** The Dockerfile, the context's files, and whether a step needs the network. */
  record Result(String dockerfile, LayerBuilder context, boolean needsNetwork) {}

  private final ContentStore store;
  private final BuildSettings settings;
  private final StringBuilder dockerfile = new StringBuilder();
  private final LayerBuilder context = new LayerBuilder(Compression.NONE, 0);
  private String workdir;
  private String user;
  private List<String> shell = Command.DEFAULT_SHELL;
  private final Map<String, String> environment = new TreeMap<>();

  private GeneratedDockerfile(ContentStore store, BuildSettings settings) {
    this.store = store;
    this.settings = settings;
  }

  /**
   * @param baseReference the engine's name of the base, or {@code scratch}
   * @param sourceReferences the engine's names of the tree images {@code COPY --from} copies from
   */
  static Result of(PreparedImage prepared, BaseImage base, String baseReference,
      Map<String, String> sourceReferences, ContentStore store, BuildSettings settings) throws IOException {
    GeneratedDockerfile generated = new GeneratedDockerfile(store, settings);
    ImageSpec spec = prepared.spec();
    ImageConfig.ContainerConfig baseConfig = base.config().config();
    generated.workdir = baseConfig.workingDir();
    generated.user = baseConfig.user();
    if (baseConfig.env() != null) {
      baseConfig.env().forEach(entry -> generated.environment.put(
          entry.contains("=") ? entry.substring(0, entry.indexOf('=')) : entry, ""));
    }
    generated.line("FROM " + baseReference);
    boolean needsNetwork = false;
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      needsNetwork |= StepCommands.installsPackages(step)
          || step.runsCommands() && spec.network() == ImageSpec.Network.HOST;
      generated.step(spec, step, "s" + (i + 1), prepared.stepInputs().get(i), sourceReferences);
    }
    generated.runtimeConfig(spec, base.config());
    return new Result(generated.dockerfile.toString(), generated.context, needsNetwork);
  }

  /** The instructions of one step: each kind as Docker's legacy builder writes it, or a refusal. */
  private void step(ImageSpec spec, StepSpec step, String directory, List<InputFile> inputs,
      Map<String, String> sourceReferences) throws IOException {
    step.accept(new StepVisitor<Void, IOException>() {
      @Override
      public Void defaultEnv(StepSpec.DefaultEnv defaults) {
        Map<String, String> missing = new TreeMap<>(defaults.variables());
        missing.keySet().removeAll(environment.keySet());
        if (!missing.isEmpty()) {
          line("ENV " + pairs(missing, false, spec));
          environment.putAll(missing);
        }
        return null;
      }

      @Override
      public Void env(StepSpec.Env env) {
        environment.putAll(env.variables());
        line("ENV " + pairs(env.variables(), false, spec));
        return null;
      }

      @Override
      public Void workdir(StepSpec.Workdir change) {
        workdir = absolute(change.path());
        line("WORKDIR " + quoted(workdir, spec));
        return null;
      }

      @Override
      public Void user(StepSpec.User change) {
        user = change.user();
        line("USER " + quoted(user, spec));
        return null;
      }

      @Override
      public Void shell(StepSpec.Shell change) {
        shell = change.shell();
        line("SHELL " + json(shell));
        return null;
      }

      @Override
      public Void buildArgs(StepSpec.BuildArgs args) {
        new TreeMap<>(args.variables()).forEach((name, value) -> line("ARG " + name + "=" + quoted(value, spec)));
        return null;
      }

      @Override
      public Void copy(StepSpec.Copy copy) throws IOException {
        if (!inputs.isEmpty()) {  // empty: --exclude left nothing of a file source
          GeneratedDockerfile.this.copy(spec, copy, directory, inputs);
        }
        return null;
      }

      @Override
      public Void copyContent(StepSpec.CopyContent content) throws IOException {  // the here-document or download, as a file
        GeneratedDockerfile.this.copy(spec, content.asCopy(inputs.get(0).path()), directory, inputs);
        return null;
      }

      @Override
      public Void layer(StepSpec.Layer merge) throws IOException {
        LayerBlob layer = MergedLayer.write(store, new BuildSettings(Compression.NONE, settings.sourceDateEpoch()),
            spec.folder(), merge, inputs);
        context.addFile(store.blobPath(layer.descriptor().digest()), directory + ".tar", EntryAttributes.DEFAULT);
        line("ADD " + json(List.of(directory + ".tar", "/")));
        return null;
      }

      @Override
      public Void addArchive(StepSpec.AddArchive archive) throws IOException {
        String name = directory + "/" + inputs.get(0).source().getFileName();
        context.addFile(inputs.get(0).source(), name, EntryAttributes.DEFAULT);
        line("ADD " + (archive.owner() == null ? "" : "--chown=" + archive.owner() + " ")
            + json(List.of(name, absolute(archive.dest()))));
        return null;
      }

      @Override
      public Void copyFrom(StepSpec.CopyFrom copy) {
        GeneratedDockerfile.this.copyFrom(spec, copy, sourceReferences);
        return null;
      }

      @Override
      public Void apt(StepSpec.Apt apt) {
        return command(spec, apt, List.of());
      }

      @Override
      public Void pip(StepSpec.Pip pip) {
        return command(spec, pip, List.of());
      }

      @Override
      public Void requirements(StepSpec.Requirements requirements) throws IOException {
        refuseSecrets(spec);
        return command(spec, requirements, requirementsFile(spec, requirements));
      }

      @Override
      public Void run(StepSpec.Run run) {
        if (!run.mounts().isEmpty()) {
          throw new BuildException(spec.name() + ": RUN --mount=type=bind|tmpfs needs the native builder (Docker's"
              + " legacy builder has no mounts)");
        }
        if (run.network() == ImageSpec.Network.NONE && spec.network() == ImageSpec.Network.HOST) {
          throw new BuildException(spec.name() + ": RUN --network=none needs the native builder (Docker's legacy"
              + " builder gives every step of a build the same network)");
        }
        return command(spec, run, List.of());
      }
    });
  }

  private void copyFrom(ImageSpec spec, StepSpec.CopyFrom copy, Map<String, String> sourceReferences) {
    if (copy.mode() != null) {
      throw new BuildException(spec.name() + ": COPY --from with a mode needs the native builder "
          + "(Docker's legacy builder has no --chmod)");
    }
    String source = sourceReferences.get(copy.image());
    if (source == null) {
      throw new BuildException(spec.name() + ": COPY --from=" + copy.image() + " names no image of the tree");
    }
    line("COPY --from=" + source + chown(copy.owner()) + " " + json(List.of(copy.src(), absolute(copy.dest()))));
  }

  private void copy(ImageSpec spec, StepSpec.Copy copy, String directory, List<InputFile> inputs) throws IOException {
    Integer mode = copy.mode() == null ? null : Integer.parseInt(copy.mode(), 8);
    InputFile top = inputs.get(0);
    boolean directorySource = top.kind() == InputFile.Kind.DIRECTORY;
    String destination = CopyPaths.destination(absolute(copy.dest()), top.path(), directorySource);
    for (InputFile input : inputs) {
      String contextPath = directorySource
          ? CopyPaths.join(directory, CopyPaths.relativeTo(top.path(), input.path()))
          : directory + "/" + top.path().substring(top.path().lastIndexOf('/') + 1);
      EntryAttributes attributes = new EntryAttributes(0, 0, mode != null ? mode : input.mode() & 07777);
      switch (input.kind()) {
        case DIRECTORY -> context.addDirectory(contextPath, attributes);
        case FILE -> context.addFile(input.source(), contextPath, attributes);
        case SYMLINK -> context.addSymlink(contextPath, input.linkTarget(), new EntryAttributes(0, 0, null));
      }
    }
    String source = directorySource ? directory + "/"
        : directory + "/" + top.path().substring(top.path().lastIndexOf('/') + 1);
    requireLiteral(spec, destination);
    line("COPY" + chown(copy.owner()) + " " + json(List.of(source, destination)));
  }

  /**
   * A command step: package steps run as root with their extra environment, as natively.
   * {@code before}: what writes the step's own files first (a requirements file), then runs the command.
   */
  private Void command(ImageSpec spec, StepSpec.CommandStep step, List<String> before) {
    refuseSecrets(spec);
    boolean asRoot = step.installsPackages() && user != null && !user.isEmpty();
    if (asRoot) {
      line("USER root");
    }
    List<String> argv = new ArrayList<>();
    Map<String, String> extra = new TreeMap<>(step.extraEnvironment());
    if (!extra.isEmpty()) {
      argv.add("env");
      extra.forEach((name, value) -> argv.add(name + "=" + value));
    }
    argv.addAll(before);
    argv.addAll(StepCommands.argv(step, shell, List.of()));
    line("RUN " + json(argv));
    if (asRoot) {
      line("USER " + quoted(user, spec));
    }
    return null;
  }

  private static void refuseSecrets(ImageSpec spec) {
    if (!spec.secrets().isEmpty()) {
      throw new BuildException(spec.name() + ": secrets need the native builder (Docker's legacy builder cannot "
          + "mount a file for one step without leaving it in a layer)");
    }
  }

  /** A requirements step's file, written where the step reads it (and removed after) by the RUN itself. */
  private static List<String> requirementsFile(ImageSpec spec, StepSpec.Requirements requirements) throws IOException {
    String content = java.nio.file.Files.readString(spec.folder().resolve(requirements.file()));
    String parent = StepCommands.REQUIREMENTS_PATH.substring(0, StepCommands.REQUIREMENTS_PATH.lastIndexOf('/'));
    return List.of("/bin/sh", "-c", "mkdir -p " + parent + " && printf '%s' " + shellQuoted(content) + " > "
        + StepCommands.REQUIREMENTS_PATH + " && \"$@\"; status=$?; rm -rf " + parent + "; exit $status", "sh");
  }

  /** The spec's runtime configuration; ENTRYPOINT and CMD as berth resolves them, since Docker resets CMD on ENTRYPOINT. */
  private void runtimeConfig(ImageSpec spec, ImageConfig baseConfig) {
    ImageSpec.RuntimeConfig wanted = spec.config();
    if (!wanted.env().isEmpty()) {
      line("ENV " + pairs(wanted.env(), false, spec));
    }
    if (wanted.workdir() != null) {
      line("WORKDIR " + quoted(wanted.workdir(), spec));
    }
    if (wanted.user() != null) {
      line("USER " + quoted(wanted.user(), spec));
    }
    if (wanted.entrypoint() != null || wanted.cmd() != null) {
      ImageConfig.ContainerConfig expected = RuntimeConfigs.apply(baseConfig, wanted).config();
      line("ENTRYPOINT " + json(expected.entrypoint() == null ? List.of() : expected.entrypoint()));
      if (expected.cmd() != null) {
        line("CMD " + json(expected.cmd()));
      }
    }
    if (!wanted.expose().isEmpty()) {
      line("EXPOSE " + String.join(" ", wanted.expose()));
    }
    if (!wanted.labels().isEmpty()) {
      line("LABEL " + pairs(wanted.labels(), true, spec));
    }
    if (!wanted.volumes().isEmpty()) {
      line("VOLUME " + json(wanted.volumes()));
    }
    if (wanted.stopSignal() != null) {
      line("STOPSIGNAL " + wanted.stopSignal());
    }
    if (wanted.author() != null) {
      line("MAINTAINER " + wanted.author());
    }
    if (wanted.healthcheck() != null) {
      line(healthcheck(wanted.healthcheck()));
    }
    for (String trigger : wanted.onBuild()) {
      line("ONBUILD " + trigger);
    }
  }

  private static String healthcheck(ImageConfig.Healthcheck check) {
    List<String> test = check.test();
    if (test.get(0).equals("NONE")) {
      return "HEALTHCHECK NONE";
    }
    StringBuilder out = new StringBuilder("HEALTHCHECK");
    String[] names = {"interval", "timeout", "start-period", "start-interval"};
    long[] values = {check.interval(), check.timeout(), check.startPeriod(), check.startInterval()};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != 0) {
        out.append(" --").append(names[i]).append('=').append(values[i]).append("ns");
      }
    }
    if (check.retries() != 0) {
      out.append(" --retries=").append(check.retries());
    }
    return out + (test.get(0).equals("CMD-SHELL") ? " CMD " + test.get(1) : " CMD " + json(test.subList(1, test.size())));
  }

  private String absolute(String path) {
    if (path.startsWith("/")) {
      return path;
    }
    return CopyPaths.join(workdir == null || workdir.isEmpty() ? "/" : workdir, path);
  }

  private void line(String instruction) {
    dockerfile.append(instruction).append('\n');
  }

  /** {@code NAME="VALUE" ...} in name order, for one ENV or LABEL instruction. */
  private static String pairs(Map<String, String> values, boolean quoteNames, ImageSpec spec) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(values).forEach((name, value) -> out.append(out.length() == 0 ? "" : " ")
        .append(quoteNames ? quoted(name, spec) : name).append('=').append(quoted(value, spec)));
    return out.toString();
  }

  private static String chown(String owner) {
    return owner == null ? "" : " --chown=" + owner;
  }

  private static String json(List<String> words) {
    return new String(Json.canonical(words), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A double-quoted Dockerfile word: no variable expansion, no line breaks. */
  private static String quoted(String value, ImageSpec spec) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new BuildException(spec.name() + ": a value with a line break cannot be written for Docker's builder: "
          + value.lines().findFirst().orElse("") + "…");
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + '"';
  }

  /** COPY's JSON form still expands variables, so a path with {@code $} cannot be said literally. */
  private static void requireLiteral(ImageSpec spec, String path) {
    if (path.contains("$")) {
      throw new BuildException(spec.name() + ": the path " + path + " has a '$', which Docker's builder would expand");
    }
  }

  private static String shellQuoted(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
