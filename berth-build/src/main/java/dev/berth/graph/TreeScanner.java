package dev.berth.graph;

import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.ImageSpecParser;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Finds every image folder under a tree (a folder holding image.yaml) and parses it. */
public final class TreeScanner {
  private TreeScanner() {}

  public record Tree(Path root, TreeConfig config, ImageGraph graph) {}

  /** Scans {@code root}; {@code platform}, when not null, overrides berth.yaml's default platform. */
  public static Tree scan(Path root, Platform platform) throws IOException {
    Path tree = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(tree)) {
      throw new GraphException("no such directory: " + tree);
    }
    TreeConfig config = TreeConfig.load(tree);
    ImageSpecParser parser = new ImageSpecParser(platform != null ? platform : config.platform());
    List<ImageSpec> specs = new ArrayList<>();
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!dir.equals(tree) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (Files.isRegularFile(dir.resolve(ImageSpecParser.FILE_NAME))) {
          specs.add(parser.parse(dir));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (specs.isEmpty()) {
      throw new GraphException("no image folders (with " + ImageSpecParser.FILE_NAME + ") under " + tree);
    }
    return new Tree(tree, config, ImageGraph.of(specs));
  }
}
