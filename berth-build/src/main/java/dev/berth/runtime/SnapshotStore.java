package dev.berth.runtime;

import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerStreams;
import dev.berth.layer.LayerUnpacker;
import dev.berth.oci.Digest;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Each layer unpacked once, alone, into a directory named by its diff ID, in the form overlayfs
 * takes as a lower directory (whiteouts as 0/0 devices, opaque directories marked). A snapshot is
 * unpacked into a temporary directory and renamed into place, so a crash or a racing build never
 * leaves a half-unpacked one.
 */
public final class SnapshotStore {
  private final ContentStore store;
  private final Path root;

  public SnapshotStore(ContentStore store) {
    this.store = store;
    this.root = store.root().resolve("berth-snapshots");
  }

  public Path root() {
    return root;
  }

  /** The directory of {@code layer}'s snapshot, relative to {@link #root()}. */
  public static String relativePath(Digest diffId) {
    return diffId.algorithm() + "/" + diffId.hex();
  }

  /** The snapshot of {@code layer}, unpacking it first if needed. */
  public Path snapshot(LayerBlob layer) throws IOException {
    Path target = root.resolve(relativePath(layer.diffId()));
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(target.getParent());
    Path temp = root.resolve(".tmp-" + UUID.randomUUID());
    Files.createDirectories(temp);
    try {
      try (InputStream blob = store.openBlob(layer.descriptor().digest());
           InputStream tar = LayerStreams.decompress(blob, layer.descriptor().mediaType());
           var hashing = new java.security.DigestInputStream(tar, Digest.newSha256())) {
        new LayerUnpacker(temp, LayerUnpacker.Whiteouts.OVERLAY).apply(hashing);
        hashing.transferTo(java.io.OutputStream.nullOutputStream());
        Digest actual = Digest.fromHash("sha256", hashing.getMessageDigest().digest());
        if (!actual.equals(layer.diffId())) {
          throw new dev.berth.oci.InvalidContentException("layer " + layer.descriptor().digest()
              + " does not match its diff ID " + layer.diffId() + " (got " + actual + ")");
        }
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
        ImageChecks.deleteTree(temp);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot rename a snapshot into place in " + root, e);
      } catch (java.nio.file.FileSystemException raced) {
        if (!Files.isDirectory(target)) {  // ENOTEMPTY arrives as a plain FileSystemException: another build won
          throw raced;
        }
        ImageChecks.deleteTree(temp);
      }
      return target;
    } finally {
      if (Files.exists(temp)) {
        ImageChecks.deleteTree(temp);
      }
    }
  }

  /** Snapshots of {@code layers} (bottom first), returned top first as overlayfs lists lower directories. */
  public List<Path> chain(List<LayerBlob> layers) throws IOException {
    List<Path> out = new ArrayList<>();
    for (LayerBlob layer : layers) {
      out.add(0, snapshot(layer));
    }
    return out;
  }

  /** Removes the snapshots whose diff ID is not in {@code keep}; returns how many. */
  public int prune(java.util.Set<Digest> keep) throws IOException {
    Path sha = root.resolve("sha256");
    if (!Files.isDirectory(sha)) {
      return 0;
    }
    int removed = 0;
    try (var list = Files.list(sha)) {
      for (Path snapshot : list.toList()) {
        Digest diffId;
        try {
          diffId = new Digest("sha256", snapshot.getFileName().toString());
        } catch (IllegalArgumentException notOurs) {
          continue;
        }
        if (!keep.contains(diffId)) {
          ImageChecks.deleteTree(snapshot);
          removed++;
        }
      }
    }
    return removed;
  }
}
