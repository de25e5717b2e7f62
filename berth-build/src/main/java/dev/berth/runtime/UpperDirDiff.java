package dev.berth.runtime;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns an overlayfs upper directory into layer entries: a 0/0 character device is a whiteout
 * ({@code .wh.NAME}), a directory marked {@code trusted.overlay.opaque=y} is opaque
 * ({@code .wh..wh..opq}), anything else is added with its own mode and owner.
 */
public final class UpperDirDiff {
  private UpperDirDiff() {}

  /** Adds the upper directory's changes to {@code layer}, skipping {@code ignored} image paths. */
  public static void addChanges(Path upper, LayerBuilder layer, Set<String> ignored) throws IOException {
    Set<Path> opaque = opaqueDirectories(upper);
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(upper)) {
      paths = walk.filter(path -> !path.equals(upper)).sorted().toList();
    }
    Map<Object, String> firstPathOfInode = new java.util.HashMap<>();  // hard links stay links, as in Docker's layers
    for (Path path : paths) {
      String imagePath = "/" + upper.relativize(path).toString();
      if (ignored.contains(imagePath)) {
        continue;
      }
      Map<String, Object> stat = Files.readAttributes(path, "unix:mode,uid,gid,rdev,nlink,ino", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) stat.get("mode");
      int type = mode & 0170000;
      EntryAttributes attributes = new EntryAttributes((Integer) stat.get("uid"), (Integer) stat.get("gid"), mode & 07777);
      long rdev = (Long) stat.get("rdev");
      switch (type) {
        case 0020000 -> {
          if (rdev == 0) {
            layer.addWhiteout(imagePath);
          } else {
            layer.addDeviceNode(imagePath, 'c', major(rdev), minor(rdev), attributes);
          }
        }
        case 0060000 -> layer.addDeviceNode(imagePath, 'b', major(rdev), minor(rdev), attributes);
        case 0040000 -> {
          if (opaque.contains(path)) {
            layer.addOpaqueDirectory(imagePath, attributes);
          } else {
            layer.addDirectory(imagePath, attributes);
          }
        }
        case 0120000 -> layer.addSymlink(imagePath, Files.readSymbolicLink(path).toString(), attributes);
        case 0100000 -> {
          String linked = (Integer) stat.get("nlink") > 1 ? firstPathOfInode.putIfAbsent(stat.get("ino"), imagePath) : null;
          if (linked != null) {
            layer.addHardLink(imagePath, linked);
          } else {
            layer.addFile(path, imagePath, attributes);
          }
        }
        default -> {
          // sockets and FIFOs made by a step are not image content
        }
      }
    }
  }

  private static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfff));
  }

  private static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xff));
  }

  /** Directories under {@code upper} marked opaque, read with one getfattr call. */
  static Set<Path> opaqueDirectories(Path upper) throws IOException {
    Set<Path> out = new HashSet<>();
    Process named = new ProcessBuilder("getfattr", "--absolute-names", "-R", "-P", "-n", "trusted.overlay.opaque",
        upper.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String text = new String(named.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      named.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading overlay attributes", e);
    }
    Path current = null;
    for (String line : text.split("\n")) {
      if (line.startsWith("# file: ")) {
        current = Path.of(line.substring("# file: ".length()));
      } else if (line.startsWith("trusted.overlay.opaque=") && current != null
          && line.substring("trusted.overlay.opaque=".length()).replace("\"", "").equals("y")) {
        out.add(current);
      }
    }
    return out;
  }
}
