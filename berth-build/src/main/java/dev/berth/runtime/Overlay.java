package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * An overlayfs mount: read-only lower directories (top first) under a fresh upper directory, where
 * every change lands. Lower paths are given relative to their common root, so that long chains fit
 * in the kernel's one-page limit on mount options.
 */
public final class Overlay implements AutoCloseable {
  private final Path merged;
  private boolean mounted;

  private Overlay(Path merged) {
    this.merged = merged;
  }

  /**
   * Mounts {@code lowers} (top first, each under {@code lowerRoot}; empty for a scratch image) with
   * {@code upper} and {@code work} at {@code merged}.
   */
  public static Overlay mount(Path lowerRoot, List<Path> lowers, Path emptyLower, Path upper, Path work, Path merged)
      throws IOException {
    StringJoiner lowerdir = new StringJoiner(":");
    if (lowers.isEmpty()) {
      lowerdir.add(emptyLower.toString());
    } else {
      for (Path lower : lowers) {
        lowerdir.add(lowerRoot.relativize(lower).toString());
      }
    }
    // No redirects, metacopy or index: the upper directory must hold whole files and directories.
    String options = "lowerdir=" + lowerdir + ",upperdir=" + upper + ",workdir=" + work
        + ",redirect_dir=off,metacopy=off,index=off";
    if (options.length() > 4000) {
      throw new IOException("too many layers for one overlay mount (" + lowers.size() + ")");
    }
    Files.createDirectories(merged);
    run(lowerRoot, List.of("mount", "-t", "overlay", "overlay", "-o", options, merged.toString()));
    Overlay overlay = new Overlay(merged);
    overlay.mounted = true;
    return overlay;
  }

  public Path merged() {
    return merged;
  }

  @Override
  public void close() throws IOException {
    if (mounted) {
      run(merged.getParent(), List.of("umount", merged.toString()));
      mounted = false;
    }
  }

  /** Whether this kernel mounts overlayfs here (it needs root, and the module). */
  public static boolean available(Path scratch) {
    try {
      Path lower = Files.createDirectories(scratch.resolve("probe-lower"));
      Path upper = Files.createDirectories(scratch.resolve("probe-upper"));
      Path work = Files.createDirectories(scratch.resolve("probe-work"));
      try (Overlay overlay = mount(scratch, List.of(lower), lower, upper, work, scratch.resolve("probe-merged"))) {
        return Files.isDirectory(overlay.merged());
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(Path directory, List<String> command) throws IOException {
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(command.get(0) + " of an overlay failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted during " + command.get(0), e);
    }
  }
}
