package dev.berth.runtime;

import dev.berth.emulation.Emulation;
import dev.berth.emulation.Execution;
import dev.berth.layer.LayerStreams;
import dev.berth.layer.LayerUnpacker;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.spec.Command;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import dev.berth.event.OutputLines;
import java.util.stream.Stream;

/**
 * Runs an image's {@code verify:} commands inside it with runc, network off, as {@code docker run
 * IMAGE sh -c CMD} would: on a fresh copy of its file system, with its env, user and working
 * directory. The first failing command fails the image with its exit code and last output. An image
 * for a platform this machine does not run natively is checked under emulation, or not at all when
 * there is none (an {@link dev.berth.emulation.EmulationUnavailableException}).
 */
public final class ImageChecks {
  private final ContentStore store;
  private final RunDirectory run;
  private final Runc runc;
  private final Duration timeout;
  private final Emulation emulation;

  /** Checks work in {@code run}'s directory, their containers run by its runc. */
  public ImageChecks(ContentStore store, RunDirectory run, Duration timeout) {
    this(store, run, timeout, Emulation.fromEnvironment(System.getenv()));
  }

  /** As above; images for a platform this machine does not run natively are checked as {@code emulation} says. */
  public ImageChecks(ContentStore store, RunDirectory run, Duration timeout, Emulation emulation) {
    this.emulation = emulation;
    this.store = store;
    this.run = run;
    this.runc = run.runc();
    this.timeout = timeout;
  }

  /** How checks of an image for {@code platform} run here: natively or emulated (throws when they cannot). */
  public Execution execution(dev.berth.oci.Platform platform) {
    return emulation.check(platform);
  }

  /** Thrown when a check fails; the message says which and how. */
  public static final class CheckFailed extends IOException {
    public CheckFailed(String message) {
      super(message);
    }
  }

  /**
   * Runs {@code checks} in the image of {@code manifest}; returns how they ran (natively, or emulated for
   * the image's platform); empty when there are none.
   */
  public java.util.Optional<Execution> run(Descriptor manifest, List<Command> checks, OutputLines output)
      throws IOException {
    if (checks.isEmpty()) {
      return java.util.Optional.empty();
    }
    ImageManifest image = ImageManifest.parse(store.readBlob(manifest.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(image.config().digest()));
    Execution execution = emulation.check(config.platform());
    try (RunDirectory.Work check = run.newWork("check")) {
      Path bundle = check.path();
      if (overlayUsable(bundle)) {
        // The layers' snapshots (made by the build) under a throwaway upper directory: nothing to unpack.
        List<dev.berth.layer.LayerBlob> layers = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
          layers.add(new dev.berth.layer.LayerBlob(image.layers().get(i), config.rootfs().diffIds().get(i)));
        }
        SnapshotStore snapshots = new SnapshotStore(store);
        try (Overlay overlay = Overlay.mount(snapshots.root(), snapshots.chain(layers),
            Files.createDirectories(bundle.resolve("empty")), Files.createDirectories(bundle.resolve("upper")),
            Files.createDirectories(bundle.resolve("work")), bundle.resolve("rootfs"))) {
          runChecks(bundle, overlay.merged(), config, checks, output);
        }
      } else {
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        unpack(image, rootfs);
        runChecks(bundle, rootfs, config, checks, output);
      }
    }
    return java.util.Optional.of(execution);
  }

  private void runChecks(Path bundle, Path rootfs, ImageConfig config, List<Command> checks, OutputLines output)
      throws IOException {
    Users.Ids ids = Users.resolve(rootfs, config.config().user());
    for (Command check : checks) {
      OciRuntimeConfig.Process process = new OciRuntimeConfig.Process(check.argv(Command.DEFAULT_SHELL),
          environment(config), ids.uid(), ids.gid(), ids.groups(), config.config().workingDir());
      Runc.Exit exit = runc.run(bundle, OciRuntimeConfig.build(rootfs, false, process, false, List.of(),
          OciRuntimeConfig.openFilesHardLimit()), timeout, output);
      if (!exit.succeeded()) {
        throw new CheckFailed("check '" + check.display() + "' " + exit.describe());
      }
    }
  }

  private Boolean overlayWorks;

  private synchronized boolean overlayUsable(Path scratch) throws IOException {
    if ("off".equals(System.getenv("BERTH_OVERLAY")) || !"root".equals(System.getProperty("user.name"))) {
      return false;
    }
    if (overlayWorks == null) {
      overlayWorks = Overlay.available(Files.createDirectories(scratch.resolve("probe")));
    }
    return overlayWorks;
  }


  private void unpack(ImageManifest image, Path rootfs) throws IOException {
    List<dev.berth.layer.LayerBlob> layers = new ArrayList<>();
    for (Descriptor layer : image.layers()) {
      layers.add(new dev.berth.layer.LayerBlob(layer, null));
    }
    unpack(store, layers, rootfs);
  }

  /** Every layer, bottom first, applied into one root file system (whiteouts applied). */
  static void unpack(ContentStore store, List<dev.berth.layer.LayerBlob> layers, Path rootfs) throws IOException {
    LayerUnpacker unpacker = new LayerUnpacker(rootfs);
    for (dev.berth.layer.LayerBlob layer : layers) {
      try (InputStream blob = store.openBlob(layer.descriptor().digest());
           InputStream tar = LayerStreams.decompress(blob, layer.descriptor().mediaType())) {
        unpacker.apply(tar);
      }
    }
  }

  static List<String> environment(ImageConfig config) {
    List<String> env = new ArrayList<>(config.config().env() == null ? List.of() : config.config().env());
    if (env.stream().noneMatch(entry -> entry.startsWith("PATH="))) {
      env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    }
    return env;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
