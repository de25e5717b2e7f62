package dev.berth.maven;

import dev.berth.api.ImageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;

/**
 * A Java project laid out as Jib lays it: release dependencies, snapshot dependencies and the
 * project's classes (with its resources) each in a layer of their own, stable to volatile, so a code
 * change rebuilds only the last. The files are staged in one folder, the image's source root.
 */
final class JavaLayers {
  static final String APP = "/app";
  private final Path context;
  private final boolean snapshots;
  private final boolean libraries;

  private JavaLayers(Path context, boolean libraries, boolean snapshots) {
    this.context = context;
    this.libraries = libraries;
    this.snapshots = snapshots;
  }

  /** Copies the project's runtime dependencies and classes into {@code context} (emptied first). */
  static JavaLayers stage(MavenProject project, Path context) throws IOException {
    deleteTree(context);
    Path libs = Files.createDirectories(context.resolve("libs"));
    Path snapshotLibs = Files.createDirectories(context.resolve("snapshot-libs"));
    boolean anyLibrary = false;
    boolean anySnapshot = false;
    for (Artifact artifact : project.getArtifacts()) {
      if (artifact.getFile() == null || !artifact.getFile().getName().endsWith(".jar")) {
        continue;
      }
      boolean snapshot = artifact.isSnapshot();
      Path target = (snapshot ? snapshotLibs : libs).resolve(artifact.getFile().getName());
      Files.copy(artifact.getFile().toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      anySnapshot |= snapshot;
      anyLibrary |= !snapshot;
    }
    Path classes = Path.of(project.getBuild().getOutputDirectory());
    if (!Files.isDirectory(classes)) {
      throw new IllegalStateException("no classes at " + classes + ": run the compile phase first");
    }
    copyTree(classes, context.resolve("classes"));
    return new JavaLayers(context, anyLibrary, anySnapshot);
  }

  /** The image: {@code base}, apt packages, then the three layers and {@code java -cp … mainClass}. */
  ImageSpec spec(String name, String base, String mainClass, List<String> jvmFlags, List<String> apt,
      List<String> verify) {
    List<String> classpath = new ArrayList<>(List.of(APP + "/classes"));
    ImageSpec.Builder builder = ImageSpec.builder(name).base(base).sourceRoot(context)
        .aptPackages(apt.toArray(String[]::new));
    if (libraries) {
      builder.copy("libs/", APP + "/libs/");
      classpath.add(APP + "/libs/*");
    }
    if (snapshots) {
      builder.copy("snapshot-libs/", APP + "/snapshot-libs/");
      classpath.add(APP + "/snapshot-libs/*");
    }
    builder.copy("classes/", APP + "/classes/");
    List<String> entrypoint = new ArrayList<>(List.of("java"));
    entrypoint.addAll(jvmFlags);
    entrypoint.addAll(List.of("-cp", String.join(":", classpath), mainClass));
    return builder.entrypoint(entrypoint.toArray(String[]::new)).verify(verify.toArray(String[]::new)).build();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
