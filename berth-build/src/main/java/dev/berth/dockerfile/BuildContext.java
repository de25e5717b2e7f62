package dev.berth.dockerfile;

import dev.berth.layer.IgnoreRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder COPY and ADD read from: sources are checked to lie inside it, wildcards are expanded
 * against it (after {@code .dockerignore}), and local tar archives are recognised by their content.
 */
final class BuildContext {
  private final Path folder;
  private final IgnoreRules ignore;

  BuildContext(Path folder, Path ignoreFile) {
    this.folder = folder.toAbsolutePath().normalize();
    try {
      this.ignore = IgnoreRules.load(ignoreFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path folder() {
    return folder;
  }

  /**
   * The context-relative paths a COPY/ADD source names, sorted; "." for the whole context. A
   * leading slash is relative to the context, as in Docker.
   */
  List<String> expand(String source) {
    return expand(source, false);
  }

  /**
   * As {@link #expand(String)}; a wildcard that matches nothing gives no paths when {@code
   * othersMayMatch} (the instruction names other sources, as Docker allows).
   */
  List<String> expand(String source, boolean othersMayMatch) {
    String relative = source;
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    Path resolved = folder.resolve(relative.isEmpty() ? "." : relative).normalize();
    if (!resolved.startsWith(folder)) {
      throw new IllegalArgumentException("source '" + source + "' is outside the build context " + folder);
    }
    String clean = folder.relativize(resolved).toString();
    if (clean.isEmpty()) {
      return List.of(".");
    }
    if (!hasWildcard(clean)) {
      if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS) || ignore.isExcluded(clean)) {
        throw new IllegalArgumentException("source '" + source + "' does not exist in the build context " + folder
            + (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS) ? " (excluded by .dockerignore)" : ""));
      }
      return List.of(clean);
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + clean);
    int depth = clean.split("/").length;
    List<String> matches = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder, depth)) {
      walk.map(folder::relativize)
          .filter(path -> path.getNameCount() == depth && !path.toString().isEmpty())
          .filter(matcher::matches)
          .map(Path::toString)
          .filter(path -> !ignore.isExcluded(path))
          .sorted()
          .forEach(matches::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (matches.isEmpty() && !othersMayMatch) {
      throw new IllegalArgumentException("no file of the build context matches '" + source + "'");
    }
    return matches;
  }

  /** Whether a context path is a directory (or "." the whole context), following a symlink as COPY does. */
  boolean isDirectory(String relative) {
    return Files.isDirectory(folder.resolve(relative));
  }

  /** Whether a context file is a tar archive, plain or compressed (told by content), as ADD extracts it. */
  boolean isArchive(String relative) {
    Path file = folder.resolve(relative);
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && dev.berth.layer.TarArchives.isArchive(file);
  }


  static boolean hasWildcard(String path) {
    return path.contains("*") || path.contains("?") || path.contains("[");
  }
}
