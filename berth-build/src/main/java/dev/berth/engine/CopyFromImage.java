package dev.berth.engine;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.layer.LayerStreams;
import dev.berth.layer.LayerUnpacker;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageManifest;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Dockerfile {@code COPY --from=IMAGE}: files out of another image's file system (a stage or image of
 * the tree by its name and key tag, or an outside image by its manifest digest, {@code @sha256:…}), with COPY's destination rules, keeping their owners and modes
 * unless the step overrides them.
 */
final class CopyFromImage {
  private CopyFromImage() {}

  static LayerBlob write(ContentStore store, BuildSettings settings, StepSpec.CopyFrom step, String sourceName,
      Ownership.Ids owner, List<LayerBlob> layersSoFar) throws IOException {
    Path rootfs = Files.createTempDirectory(store.tempDirectory(), "copy-from-");
    try {
      SourceImages.unpack(store, sourceName, "COPY --from=" + step.image(), rootfs);
      String src = step.src();
      while (src.contains("/./")) {  // a --parents pivot: the path without it
        src = src.replace("/./", "/");
      }
      dev.berth.layer.IgnoreRules excludes = dev.berth.layer.IgnoreRules.parse(step.excludes());
      List<Path> matches = matches(rootfs, src).stream().filter(match -> Files.isDirectory(match,
          LinkOption.NOFOLLOW_LINKS) || !excludes.isExcluded(match.getFileName().toString())).toList();
      if (matches.isEmpty() && !(step.excludes().isEmpty() ? List.of() : matches(rootfs, src)).isEmpty()) {
        return new LayerBuilder(settings.compression(), settings.sourceDateEpoch()).writeTo(store);  // all excluded
      }
      if (matches.isEmpty()) {
        throw new BuildException("COPY --from=" + step.image() + ": no file matches " + step.src());
      }
      if (matches.size() > 1 && !step.dest().endsWith("/")) {
        throw new BuildException("COPY --from=" + step.image() + ": several sources need a destination ending in /");
      }
      Integer mode = step.mode() == null ? null : Integer.parseInt(step.mode(), 8) & 0777;  // --chmod sets permission bits only, as BuildKit does
      LowerTree lower = LowerTree.of(store, layersSoFar);
      EntryAttributes created = new EntryAttributes(owner == null ? null : owner.uid(),
          owner == null ? null : owner.gid(), 0755);
      LayerBuilder layer = new LayerBuilder(settings.compression(), settings.sourceDateEpoch())
          .parentAttributes(path -> lower.existingDirectory(path).orElse(created));
      for (Path match : matches) {
        boolean directory = Files.isDirectory(match, LinkOption.NOFOLLOW_LINKS);
        String into = step.dest();
        if (step.parents()) {  // the match keeps its path (after the pivot) under the destination
          into = dev.berth.dockerfile.ParentPaths.destination(into.endsWith("/") ? into : into + "/",
              dev.berth.dockerfile.ParentPaths.kept(step.src(), match.equals(rootfs) ? "." : rootfs.relativize(match).toString()),
              directory);
        }
        String destination = lower.resolve(
            CopyPaths.destination(into, match.getFileName().toString(), directory), true);
        if (!directory && lower.isDirectory(destination)) {  // a file copied onto a directory goes into it
          destination = CopyPaths.join(destination, match.getFileName().toString());
        }
        List<Path> entries;
        try (Stream<Path> walk = directory ? Files.walk(match) : Stream.of(match)) {
          entries = walk.sorted().toList();
        }
        for (Path entry : entries) {
          String relative = match.relativize(entry).toString();
          if (directory && !relative.isEmpty() && excludes.isExcluded(relative)) {
            continue;
          }
          String imagePath = CopyPaths.join(destination, match.relativize(entry).toString());
          Map<String, Object> stat = Files.readAttributes(entry, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
          EntryAttributes attributes = new EntryAttributes(
              owner != null ? owner.uid() : (Integer) stat.get("uid"),
              owner != null ? owner.gid() : (Integer) stat.get("gid"),
              mode != null ? mode : (Integer) stat.get("mode") & 07777);
          if (entry.equals(match) && directory) {  // the destination: as it was, or made 0755
            layer.addDirectory(imagePath, lower.existingDirectory(LowerTree.clean(imagePath)).orElse(created));
          } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            layer.addDirectory(imagePath, attributes);
          } else {
            layer.addFile(entry, imagePath, attributes);
          }
        }
      }
      return layer.writeTo(store);
    } finally {
      MergedLayer.deleteTree(rootfs);
    }
  }

  /** The paths {@code src} (absolute, maybe with * ? [] wildcards) names inside {@code rootfs}. */
  private static List<Path> matches(Path rootfs, String src) throws IOException {
    String relative = src.replaceAll("^/+", "").replaceAll("/+$", "");
    if (relative.isEmpty()) {
      return List.of(rootfs);
    }
    if (!relative.matches(".*[*?\\[].*")) {
      Path path = rootfs.resolve(relative).normalize();
      if (!path.startsWith(rootfs)) {
        throw new BuildException("COPY --from source " + src + " leads outside the image");
      }
      return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? List.of(path) : List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + relative);
    int depth = relative.contains("**") ? Integer.MAX_VALUE : relative.split("/").length;
    try (Stream<Path> walk = Files.walk(rootfs, depth)) {
      return walk.filter(path -> !path.equals(rootfs) && matcher.matches(rootfs.relativize(path))).sorted().toList();
    }
  }
}
