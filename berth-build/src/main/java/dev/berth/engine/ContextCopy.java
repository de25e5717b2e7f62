package dev.berth.engine;

import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of image-folder files into one layer (Dockerfile COPY and ADD of files, image.yaml
 * {@code copy:}), with the files Docker writes: the destination followed through symlinks of the
 * image, directories that exist keeping their owner and mode, directories it creates owned by
 * {@code --chown}, modes kept unless {@code --chmod}, hard links kept as links.
 */
final class ContextCopy {
  private ContextCopy() {}

  static LayerBlob write(ContentStore store, BuildSettings settings, StepSpec.Copy copy, List<InputFile> inputs,
      List<LayerBlob> layersSoFar) throws IOException {
    Integer uid = null;
    Integer gid = null;
    if (copy.owner() != null) {
      Ownership.Ids ids = new Ownership(store, layersSoFar).resolve(copy.owner());
      uid = ids.uid();
      gid = ids.gid();
    }
    Integer mode = copy.mode() == null ? null : Integer.parseInt(copy.mode(), 8) & 0777;  // --chmod sets permission bits only, as BuildKit does
    LowerTree lower = LowerTree.of(store, layersSoFar);
    EntryAttributes created = new EntryAttributes(uid, gid, 0755);
    LayerBuilder layer = new LayerBuilder(settings.compression(), settings.sourceDateEpoch())
        .parentAttributes(path -> existing(lower, path, created));
    InputFile top = inputs.get(0);
    boolean directorySource = top.kind() == InputFile.Kind.DIRECTORY;
    String destination = lower.resolve(CopyPaths.destination(copy.dest(), top.path(), directorySource), true);
    if (!directorySource && lower.isDirectory(destination)) {  // a file copied onto a directory goes into it
      destination = CopyPaths.join(destination, top.path().substring(top.path().lastIndexOf('/') + 1));
    }
    Map<Object, String> firstPathOfInode = new HashMap<>();
    for (InputFile input : inputs) {
      String relative = CopyPaths.relativeTo(top.path(), input.path());
      String imagePath = directorySource ? CopyPaths.join(destination, relative) : destination;
      switch (input.kind()) {
        case DIRECTORY -> layer.addDirectory(imagePath, relative.isEmpty()
            ? existing(lower, LowerTree.clean(imagePath), created)  // the destination: as it was, or made 0755
            : new EntryAttributes(uid, gid, mode != null ? mode : input.mode()));
        case FILE -> {
          String linkedTo = hardLinkTarget(input, imagePath, firstPathOfInode);
          if (linkedTo != null) {
            layer.addHardLink(imagePath, linkedTo);
          } else {
            layer.addFile(input.source(), imagePath, new EntryAttributes(uid, gid, mode != null ? mode
                : input.mode() & ~06000));  // Docker drops setuid and setgid of files from the context
          }
        }
        case SYMLINK -> layer.addSymlink(imagePath, input.linkTarget(), new EntryAttributes(uid, gid, null));
      }
    }
    return layer.writeTo(store);
  }

  /**
   * Whether the layer for {@code copy} comes out the same on any image below (so that one written
   * ahead, with nothing below, can be used): no symlink on the way to the destination, and every
   * directory on it either absent or the default 0:0 0755 with no owner given.
   */
  static boolean independentOfLower(ContentStore store, StepSpec.Copy copy, List<InputFile> inputs,
      List<LayerBlob> layersSoFar) throws IOException {
    LowerTree lower = LowerTree.of(store, layersSoFar);
    InputFile top = inputs.get(0);
    boolean directorySource = top.kind() == InputFile.Kind.DIRECTORY;
    String destination = CopyPaths.destination(copy.dest(), top.path(), directorySource);
    if (!lower.resolve(destination, true).equals(LowerTree.clean(destination).isEmpty() ? "/" : "/" + LowerTree.clean(destination))) {
      return false;
    }
    String path = LowerTree.clean(destination);
    if (!directorySource) {
      path = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
    }
    for (; !path.isEmpty(); path = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "") {
      var node = lower.get(path);
      if (node.isPresent() && (copy.owner() != null || node.get().type() != 'd' || node.get().mode() != 0755
          || node.get().uid() != 0 || node.get().gid() != 0)) {
        return false;
      }
    }
    return true;
  }

  /** The owner and mode of {@code path} when the image has a directory there, else {@code otherwise}. */
  private static EntryAttributes existing(LowerTree lower, String path, EntryAttributes otherwise) {
    return lower.existingDirectory(path).orElse(otherwise);
  }

  /** The image path of an earlier input that is the same file (a hard link in the folder), or null. */
  private static String hardLinkTarget(InputFile input, String imagePath, Map<Object, String> firstPathOfInode)
      throws IOException {
    Map<String, Object> stat = Files.readAttributes(input.source(), "unix:nlink,ino,dev", LinkOption.NOFOLLOW_LINKS);
    if ((Integer) stat.get("nlink") < 2) {
      return null;
    }
    return firstPathOfInode.putIfAbsent(List.of(stat.get("dev"), stat.get("ino")), imagePath);
  }
}
