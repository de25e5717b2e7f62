package dev.berth.engine;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.layer.TarArchives;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Dockerfile {@code ADD} of a local tar archive, extracted as Docker extracts it, into one layer:
 * entries keep their owners (as with BuildKit 20.10, {@code --chown} owns only the directories ADD
 * makes), modes and hard links; the destination
 * is followed through the image's symlinks; directories that exist keep their owner and mode; an
 * archive cut short after a whole entry gives the entries before the cut.
 */
public final class ArchiveLayer {
  private ArchiveLayer() {}

  static LayerBlob write(ContentStore store, BuildSettings settings, Path archive, String dest, String owner,
      List<LayerBlob> layersSoFar) throws IOException {
    Ownership.Ids ids = owner == null ? null : new Ownership(store, layersSoFar).resolve(owner);
    LowerTree lower = LowerTree.of(store, layersSoFar);
    String root = lower.resolve(dest, true);
    EntryAttributes created = new EntryAttributes(ids == null ? null : ids.uid(), ids == null ? null : ids.gid(), 0755);
    LayerBuilder layer = new LayerBuilder(settings.compression(), settings.sourceDateEpoch())
        .parentAttributes(path -> lower.existingDirectory(path).orElse(created));
    if (!root.equals("/")) {
      layer.addDirectory(root, lower.existingDirectory(LowerTree.clean(root)).orElse(created));
    }
    Path scratch = Files.createTempDirectory(store.tempDirectory(), "add-");
    try (InputStream in = open(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      int count = 0;
      for (TarArchiveEntry entry = next(tar); entry != null; entry = next(tar)) {
        String name = LowerTree.clean(entry.getName());
        if (name.isEmpty()) {
          continue;  // the archive's own root: the destination keeps what it has
        }
        if (("/" + name + "/").contains("/../")) {
          throw new BuildException("ADD " + archive.getFileName() + ": entry '" + entry.getName()
              + "' leads outside the destination");
        }
        String path = CopyPaths.join(root, name);
        EntryAttributes attributes = new EntryAttributes((int) entry.getLongUserId(), (int) entry.getLongGroupId(),
            entry.getMode() & 07777);
        if (entry.isDirectory()) {
          layer.addDirectory(path, attributes);
        } else if (entry.isSymbolicLink()) {
          layer.addSymlink(path, entry.getLinkName(), attributes);
        } else if (entry.isLink()) {
          layer.addHardLink(path, CopyPaths.join(root, LowerTree.clean(entry.getLinkName())));
        } else if (entry.isCharacterDevice() || entry.isBlockDevice()) {
          layer.addDeviceNode(path, entry.isCharacterDevice() ? 'c' : 'b', entry.getDevMajor(), entry.getDevMinor(),
              attributes);
        } else if (entry.isFile()) {
          Path content = scratch.resolve(Integer.toString(count++));
          Files.copy(tar, content);
          layer.addFile(content, path, attributes);
        }
      }
      return layer.writeTo(store);
    } finally {
      MergedLayer.deleteTree(scratch);
    }
  }

  /** The archive's tar stream; see {@link TarArchives#open}. */
  static InputStream open(Path archive) throws IOException {
    return TarArchives.open(archive);
  }

  /** The next entry, or null at the end, also when the archive stops short before a header. */
  private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextTarEntry();
    } catch (IOException truncated) {
      if (String.valueOf(truncated.getMessage()).contains("Truncated")) {
        return null;
      }
      throw truncated;
    }
  }

  /** Whether {@code file} is a tar archive; see {@link TarArchives#isArchive}. */
  public static boolean isArchive(Path file) {
    return TarArchives.isArchive(file);
  }
}
