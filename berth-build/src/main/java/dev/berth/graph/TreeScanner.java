package dev.berth.graph;

import dev.berth.dockerfile.DockerPkgTree;
import dev.berth.dockerfile.DockerfileFrontend;
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
    List<Path> dockerfileFolders = new ArrayList<>();
    boolean[] dockerPkg = {false};
    Files.walkFileTree(tree, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!dir.equals(tree) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        if (Files.isRegularFile(dir.resolve(ImageSpecParser.FILE_NAME))) {
          specs.add(parser.parse(dir));
        } else if (Files.isRegularFile(dir.resolve(DockerPkgTree.TEMPLATE))) {
          dockerPkg[0] = true;
        } else if (Files.isRegularFile(dir.resolve(DockerfileFrontend.FILE_NAME))) {
          dockerfileFolders.add(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    Platform effective = platform != null ? platform : config.platform();
    DockerfileFrontend frontend = new DockerfileFrontend(effective, DockerfileFrontend.Bases.NONE);
    for (Path folder : dockerfileFolders) {
      specs.addAll(frontend.parse(folder, folder.getFileName().toString().toLowerCase(java.util.Locale.ROOT),
          config.variables()).images());
    }
    if (dockerPkg[0]) {
      Path dockerPkgConfig = tree.resolve("config.yaml");
      specs.addAll(DockerPkgTree.load(tree, Files.isRegularFile(dockerPkgConfig) ? dockerPkgConfig : null, effective,
          DockerfileFrontend.Bases.NONE).images());
    }
    if (specs.isEmpty()) {
      throw new GraphException("no image folders (with " + ImageSpecParser.FILE_NAME + ", a Dockerfile, or a "
          + "docker-pkg Dockerfile.template) under " + tree);
    }
    return new Tree(tree, config, ImageGraph.of(specs));
  }
}
