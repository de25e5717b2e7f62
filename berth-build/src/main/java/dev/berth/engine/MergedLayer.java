package dev.berth.engine;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A SAM-style layer: the contents of a directory, or of a .zip file, merged under a destination
 * (default /opt) as one layer.
 */
final class MergedLayer {
  private MergedLayer() {}

  static LayerBlob write(ContentStore store, BuildSettings settings, Path folder, StepSpec.Layer step,
      List<InputFile> inputs) throws IOException {
    InputFile top = inputs.get(0);
    LayerBuilder layer = new LayerBuilder(settings.compression(), settings.sourceDateEpoch());
    if (top.kind() == InputFile.Kind.DIRECTORY) {
      for (InputFile input : inputs) {
        String imagePath = CopyPaths.join(step.dest(), CopyPaths.relativeTo(top.path(), input.path()));
        switch (input.kind()) {
          case DIRECTORY -> layer.addDirectory(imagePath, EntryAttributes.DEFAULT);
          case FILE -> layer.addFile(input.source(), imagePath, EntryAttributes.DEFAULT);
          case SYMLINK -> layer.addSymlink(imagePath, input.linkTarget(), EntryAttributes.DEFAULT);
        }
      }
      return layer.writeTo(store);
    }
    if (top.kind() != InputFile.Kind.FILE || !top.path().endsWith(".zip")) {
      throw new BuildException("layer '" + step.src() + "' in " + folder + " is neither a directory nor a .zip file");
    }
    Path extracted = Files.createTempDirectory(store.tempDirectory(), "zip-");
    try {
      addZip(top.source(), extracted, step.dest(), layer);
      return layer.writeTo(store);
    } finally {
      deleteTree(extracted);
    }
  }

  /** Extracts the zip (refusing entries that escape) and adds each entry under {@code dest}. */
  private static void addZip(Path zip, Path scratch, String dest, LayerBuilder layer) throws IOException {
    try (ZipFile file = ZipFile.builder().setPath(zip).get()) {
      List<ZipArchiveEntry> entries = new ArrayList<>();
      file.getEntries().asIterator().forEachRemaining(entries::add);
      entries.sort(Comparator.comparing(ZipArchiveEntry::getName));
      for (ZipArchiveEntry entry : entries) {
        String name = entry.getName();
        Path target = scratch.resolve(name).normalize();
        if (name.startsWith("/") || !target.startsWith(scratch) || target.equals(scratch)) {
          throw new BuildException("layer zip " + zip + ": entry '" + name + "' escapes the layer");
        }
        String relative = scratch.relativize(target).toString().replace('\\', '/');
        String imagePath = CopyPaths.join(dest, relative);
        int unixMode = entry.getUnixMode() & 07777;
        if (entry.isDirectory()) {
          layer.addDirectory(imagePath, new EntryAttributes(null, null, unixMode == 0 ? 0755 : unixMode));
        } else if (entry.isUnixSymlink()) {
          layer.addSymlink(imagePath, file.getUnixSymlink(entry), EntryAttributes.DEFAULT);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = file.getInputStream(entry)) {
            Files.copy(in, target);
          }
          layer.addFile(target, imagePath, new EntryAttributes(null, null, unixMode == 0 ? 0644 : unixMode));
        }
      }
    }
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
