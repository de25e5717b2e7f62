package dev.berth.runtime;

import dev.berth.emulation.Emulation;
import dev.berth.emulation.Execution;
import dev.berth.engine.BuildException;
import dev.berth.engine.StepCommands;
import dev.berth.engine.StepRunner;
import dev.berth.layer.LayerBuilder;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.Platform;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.berth.event.BuildListener;
import dev.berth.event.OutputLines;
import java.util.stream.Stream;

/**
 * Runs apt, pip, requirements and run steps the way buildah does: the image so far is mounted with
 * overlayfs (its layers' snapshots as lower directories, a fresh upper directory), the command runs
 * there in runc, and what it changed, read from the upper directory, becomes the step's layer. Cache
 * mounts and secrets are bound in for the step and never reach the layer; a failed step commits
 * nothing. A step for a platform this machine does not run natively runs under emulation (the
 * kernel's binfmt_misc entry with the F flag starts the emulator; nothing is bound into the root for it).
 */
public final class ExecStepRunner implements StepRunner {
  private static final List<String> RUNTIME_MOUNTS = List.of("/proc", "/dev", "/sys", "/etc/resolv.conf", "/etc/hosts");

  private final ContentStore store;
  private final SnapshotStore snapshots;
  private final RunDirectory run;
  private final Runc runc;
  private final Duration timeout;
  private final BuildListener output;
  private final Emulation emulation;
  private Boolean overlayWorks;

  /** Steps work in {@code run}'s directory, their containers run by its runc; foreign ones under this machine's emulation. */
  public ExecStepRunner(ContentStore store, RunDirectory run, Duration timeout, BuildListener output) {
    this(store, run, timeout, output, Emulation.fromEnvironment(System.getenv()));
  }

  /** As above; steps for a platform this machine does not run natively run as {@code emulation} says. */
  public ExecStepRunner(ContentStore store, RunDirectory run, Duration timeout, BuildListener output,
      Emulation emulation) {
    this.emulation = emulation;
    this.store = store;
    this.snapshots = new SnapshotStore(store);
    this.run = run;
    this.runc = run.runc();
    this.timeout = timeout;
    this.output = output;
  }

  @Override
  public Execution execution(Platform platform) {
    return emulation.check(platform);
  }

  @Override
  public Result run(Request request) throws IOException {
    ImageSpec spec = request.spec();
    Execution execution = emulation.check(request.platform());  // before anything is mounted or written
    try (RunDirectory.Work step = run.newWork("step")) {
      Path work = step.path();
      List<String> mountPoints = new ArrayList<>();
      List<OciRuntimeConfig.Bind> binds = binds(spec, request.step(), Files.createDirectories(work), mountPoints);
      binds.addAll(StepMounts.binds(store, request, work, mountPoints));
      List<OciRuntimeConfig.Tmpfs> tmpfs = StepMounts.tmpfs(request.step(), mountPoints);
      LayerBuilder layer = new LayerBuilder(request.settings().compression(), request.settings().sourceDateEpoch());
      if (useOverlay(work)) {
        Path upper = Files.createDirectories(work.resolve("upper"));
        MountPoints points;
        try (Overlay overlay = Overlay.mount(snapshots.root(), snapshots.chain(request.layers()),
            Files.createDirectories(work.resolve("empty")), upper, Files.createDirectories(work.resolve("work")),
            work.resolve("merged"))) {
          points = MountPoints.inspect(overlay.merged(), mountPoints);
          execute(request, overlay.merged(), binds, tmpfs, work);
        }
        points.removeStubs(upper, true);
        UpperDirDiff.addChanges(upper, layer, Set.of());
      } else {
        // No overlayfs here: the image so far is unpacked into a tree, copied, and the two compared after.
        Path rootfs = Files.createDirectories(work.resolve("rootfs"));
        ImageChecks.unpack(store, request.layers(), rootfs);
        Path before = work.resolve("before");
        copyTree(rootfs, before);
        MountPoints points = MountPoints.inspect(rootfs, mountPoints);
        execute(request, rootfs, binds, tmpfs, work);
        points.removeStubs(rootfs, false);
        TreeDiff.addChanges(before, rootfs, layer);
      }
      return new Result(layer.isEmpty() ? Optional.empty() : Optional.of(layer.writeTo(store)), execution);
    }
  }

  /** Overlayfs unless it is switched off ({@code BERTH_OVERLAY=off}) or does not work on this machine. */
  private boolean useOverlay(Path work) throws IOException {
    if ("off".equals(System.getenv("BERTH_OVERLAY"))) {
      return false;
    }
    if (overlayWorks == null) {
      overlayWorks = Overlay.available(Files.createDirectories(work.resolve("probe")));
    }
    return overlayWorks;
  }

  private void execute(Request request, Path rootfs, List<OciRuntimeConfig.Bind> binds,
      List<OciRuntimeConfig.Tmpfs> tmpfs, Path work) throws IOException {
    ImageSpec spec = request.spec();
    ImageConfig.ContainerConfig config = request.imageSoFar().config();
    String workdir = config.workingDir() == null || config.workingDir().isEmpty() ? "/" : config.workingDir();
    Files.createDirectories(rootfs.resolve(workdir.substring(1)));
    Users.Ids ids = Users.resolve(rootfs, StepCommands.installsPackages(request.step()) ? null : config.user());
    List<String> env = environment(request.imageSoFar(), request.step());
    for (var arg : request.buildArgs().entrySet()) {
      if (env.stream().noneMatch(entry -> entry.startsWith(arg.getKey() + "="))) {
        env.add(arg.getKey() + "=" + arg.getValue());
      }
    }
    StepMounts.sshAuthSock(request.step()).ifPresent(socket -> {
      if (env.stream().noneMatch(entry -> entry.startsWith("SSH_AUTH_SOCK="))) {
        env.add("SSH_AUTH_SOCK=" + socket);
      }
    });
    OciRuntimeConfig.Process process = new OciRuntimeConfig.Process(StepCommands.argv(request.step(), request.shell(), spec.caches()),
        env, ids.uid(), ids.gid(), ids.groups(), workdir);
    ImageSpec.Network network = request.step().network() != null ? request.step().network() : spec.network();
    boolean hostNetwork = StepCommands.installsPackages(request.step()) || network == ImageSpec.Network.HOST;
    Path bundle = Files.createDirectories(work.resolve("bundle"));
    Runc.Exit exit = runc.run(bundle, OciRuntimeConfig.build(rootfs, false, process, hostNetwork, binds, tmpfs,
        OciRuntimeConfig.openFilesHardLimit()), timeout, OutputLines.of(spec.name(), output));
    if (!exit.succeeded() && exit.tail().stream().anyMatch(line -> line.contains("No space left on device"))) {
      throw new BuildException(spec.name() + ": " + request.label() + " failed: no space left in the store "
          + store.root() + ", where the step's files are written; " + exit.describe());
    }
    if (!exit.succeeded()) {
      throw new BuildException(spec.name() + ": " + request.label() + " failed: " + exit.describe());
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try {
      Process copy = new ProcessBuilder("cp", "-a", "--reflink=auto", from.toString(), to.toString())
          .redirectErrorStream(true).start();
      String output = new String(copy.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (copy.waitFor() != 0) {
        throw new IOException("cannot copy " + from + ": " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while copying " + from, e);
    }
  }

  /**
   * The paths runc mounts things on, as they were before the step: what did not exist (runc makes
   * an empty stub) and the directories that held them (overlayfs copies them up unchanged).
   */
  private record MountPoints(Set<String> absentBefore, java.util.Map<String, java.util.Map<String, Object>> parents) {
    static MountPoints inspect(Path rootfs, List<String> mountPoints) throws IOException {
      Set<String> absent = new LinkedHashSet<>();
      java.util.Map<String, java.util.Map<String, Object>> parents = new java.util.HashMap<>();
      for (String mountPoint : mountPoints) {
        for (String path = mountPoint; !path.equals("/") && !path.isEmpty(); path = parent(path)) {
          Path inImage = rootfs.resolve(path.substring(1));
          if (!Files.exists(inImage, LinkOption.NOFOLLOW_LINKS)) {
            absent.add(path);
          } else if (!path.equals(mountPoint) && Files.isDirectory(inImage, LinkOption.NOFOLLOW_LINKS)) {
            parents.put(path, Files.readAttributes(inImage, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS));
          }
        }
      }
      return new MountPoints(absent, parents);
    }

    /**
     * Deletes what runc made only to mount things on (absent before, empty now), deepest first, and
     * in an upper directory, the directories overlayfs copied up only to hold them.
     */
    void removeStubs(Path root, boolean upperDirectory) throws IOException {
      List<String> deepestFirst = absentBefore.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
      for (String path : deepestFirst) {
        Path stub = root.resolve(path.substring(1));
        if (Files.isRegularFile(stub, LinkOption.NOFOLLOW_LINKS) && Files.size(stub) == 0) {
          Files.delete(stub);
        } else if (Files.isDirectory(stub, LinkOption.NOFOLLOW_LINKS) && isEmpty(stub)) {
          Files.delete(stub);
        }
      }
      if (!upperDirectory) {
        return;
      }
      Set<Path> opaque = UpperDirDiff.opaqueDirectories(root);
      for (String path : parents.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
        Path copy = root.resolve(path.substring(1));
        if (Files.isDirectory(copy, LinkOption.NOFOLLOW_LINKS) && !opaque.contains(copy) && isEmpty(copy)
            && Files.readAttributes(copy, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS).equals(parents.get(path))) {
          Files.delete(copy);
        }
      }
    }

    private static boolean isEmpty(Path directory) throws IOException {
      try (Stream<Path> children = Files.list(directory)) {
        return children.findAny().isEmpty();
      }
    }
  }

  private static List<String> environment(ImageConfig image, StepSpec step) {
    List<String> env = ImageChecks.environment(image);
    StepCommands.extraEnvironment(step).forEach((name, value) -> env.add(name + "=" + value));
    return env;
  }


  private List<OciRuntimeConfig.Bind> binds(ImageSpec spec, StepSpec step, Path work, List<String> mountPoints)
      throws IOException {
    List<OciRuntimeConfig.Bind> binds = new ArrayList<>();
    mountPoints.addAll(RUNTIME_MOUNTS);
    binds.add(new OciRuntimeConfig.Bind(hostFile("/etc/resolv.conf", work, "nameserver 127.0.0.1\n"), "/etc/resolv.conf", true));
    binds.add(new OciRuntimeConfig.Bind(hostFile("/etc/hosts", work, "127.0.0.1 localhost\n"), "/etc/hosts", true));
    for (String cache : spec.caches()) {
      Path directory = store.root().resolve("berth-cache-mounts").resolve(spec.name().replace('/', '_'))
          .resolve(cache.substring(1).replace('/', '_'));
      binds.add(new OciRuntimeConfig.Bind(Files.createDirectories(directory), cache, false));
      mountPoints.add(cache);
    }
    for (ImageSpec.Secret secret : spec.secrets()) {
      if (!Files.isRegularFile(secret.source())) {
        throw new BuildException(spec.name() + ": secret '" + secret.id() + "' has no file at " + secret.source());
      }
      String destination = "/run/secrets/" + secret.id();
      binds.add(new OciRuntimeConfig.Bind(secret.source().toAbsolutePath(), destination, true));
      mountPoints.add(destination);
    }
    java.util.Optional<String> requirements = StepCommands.requirementsFile(step);
    if (requirements.isPresent()) {
      binds.add(new OciRuntimeConfig.Bind(spec.folder().resolve(requirements.get()).toAbsolutePath(),
          StepCommands.REQUIREMENTS_PATH, true));
      mountPoints.add(StepCommands.REQUIREMENTS_PATH);
    }
    return binds;
  }

  private static Path hostFile(String path, Path work, String fallback) throws IOException {
    Path host = Path.of(path);
    if (Files.isRegularFile(host)) {
      return host;
    }
    Path made = work.resolve(host.getFileName());
    Files.writeString(made, fallback, StandardCharsets.UTF_8);
    return made;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
