package dev.berth.runtime;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The change between two copies of a root file system, for machines without overlayfs: what is new
 * or different in {@code after} is added, what is gone from {@code before} becomes a whiteout (one
 * for a removed directory, none for what was under it).
 */
public final class TreeDiff {
  private static final String STAT = "unix:mode,uid,gid,size,rdev";

  private TreeDiff() {}

  public static void addChanges(Path before, Path after, LayerBuilder layer) throws IOException {
    for (Path path : sorted(after)) {
      String relative = after.relativize(path).toString();
      Path old = before.resolve(relative);
      Map<String, Object> now = Files.readAttributes(path, STAT, LinkOption.NOFOLLOW_LINKS);
      if (Files.exists(old, LinkOption.NOFOLLOW_LINKS) && same(old, path, now)) {
        continue;
      }
      int mode = (Integer) now.get("mode");
      EntryAttributes attributes = new EntryAttributes((Integer) now.get("uid"), (Integer) now.get("gid"), mode & 07777);
      String imagePath = "/" + relative;
      switch (mode & 0170000) {
        case 0040000 -> layer.addDirectory(imagePath, attributes);
        case 0120000 -> layer.addSymlink(imagePath, Files.readSymbolicLink(path).toString(), attributes);
        case 0100000 -> layer.addFile(path, imagePath, attributes);
        case 0020000, 0060000 -> {
          long rdev = (Long) now.get("rdev");
          layer.addDeviceNode(imagePath, (mode & 0170000) == 0020000 ? 'c' : 'b',
              (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfff)), (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xff)),
              attributes);
        }
        default -> {
          // sockets and FIFOs made by a step are not image content
        }
      }
    }
    String removedDirectory = null;
    for (Path path : sorted(before)) {
      String relative = before.relativize(path).toString();
      if (removedDirectory != null && relative.startsWith(removedDirectory + "/")) {
        continue;
      }
      if (!Files.exists(after.resolve(relative), LinkOption.NOFOLLOW_LINKS)) {
        layer.addWhiteout("/" + relative);
        removedDirectory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? relative : removedDirectory;
      }
    }
  }

  private static boolean same(Path old, Path path, Map<String, Object> now) throws IOException {
    Map<String, Object> was = Files.readAttributes(old, STAT, LinkOption.NOFOLLOW_LINKS);
    if (!was.equals(now)) {
      return false;
    }
    int type = (Integer) now.get("mode") & 0170000;
    if (type == 0120000) {
      return Objects.equals(Files.readSymbolicLink(old), Files.readSymbolicLink(path));
    }
    return type != 0100000 || Files.mismatch(old, path) == -1;
  }

  private static List<Path> sorted(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(path -> !path.equals(root)).sorted().toList();
    }
  }
}
