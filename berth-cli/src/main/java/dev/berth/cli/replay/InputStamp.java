package dev.berth.cli.replay;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a recorded run read from the file system, stat by stat: every directory and file under
 * its trees (but berth's own {@code .berth} state; a {@code .git} folder too, since a Dockerfile's
 * {@code COPY .} may copy it), and single files such as
 * config files, the store's {@code index.json} and files that are absent but would be read if
 * present. A replay stats each again; one difference, and the run is done in full.
 */
public record InputStamp(List<Watched> entries) {
  private static final Set<String> SKIPPED = Set.of(".berth");

  public InputStamp {
    entries = List.copyOf(entries);
  }

  /**
   * The stamp of {@code trees} (walked whole) and {@code files} (each stat-ed alone, absent or not);
   * empty when a symbolic link under a tree leads outside every tree, since what it points at is not
   * watched.
   */
  public static Optional<InputStamp> capture(List<Path> trees, List<Path> files) throws IOException {
    List<Watched> entries = new ArrayList<>();
    List<Path> roots = trees.stream().map(tree -> tree.toAbsolutePath().normalize()).toList();
    boolean[] leaves = {false};
    for (Path root : roots) {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
          if (!dir.equals(root) && SKIPPED.contains(dir.getFileName().toString())) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          entries.add(Watched.of(dir));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
          if (attributes.isSymbolicLink()) {
            Path target = file.getParent().resolve(Files.readSymbolicLink(file)).normalize();
            leaves[0] |= roots.stream().noneMatch(target::startsWith);
          }
          entries.add(Watched.of(file));
          return FileVisitResult.CONTINUE;
        }
      });
    }
    for (Path file : files) {
      entries.add(Watched.of(file.toAbsolutePath().normalize()));
    }
    return leaves[0] ? Optional.empty() : Optional.of(new InputStamp(entries));
  }

  /** Whether every path is as it was recorded. */
  public boolean unchanged() {
    return firstChange().isEmpty();
  }

  /** The first path that is not as it was recorded, if any. */
  public Optional<String> firstChange() {
    for (Watched entry : entries) {
      if (!entry.unchanged()) {
        return Optional.of(entry.path());
      }
    }
    return Optional.empty();
  }

  /**
   * Whether any path was modified or changed at or after {@code nanos}: a file written in the same
   * tick of the file system's clock as the stat could change again without its times moving (git's
   * "racily clean" entries), so such a stamp is not kept.
   */
  public boolean touchedSince(long nanos) {
    for (Watched entry : entries) {
      if (entry.touchedSince(nanos)) {
        return true;
      }
    }
    return false;
  }
}
