package dev.berth.runtime;

import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerStreams;
import dev.berth.layer.LayerUnpacker;
import dev.berth.oci.Digest;
import dev.berth.store.ContentStore;
import dev.berth.store.NamedLock;
import dev.berth.store.StoreFullException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
  /** Names of snapshots being unpacked start with this, then the unpacking process's ID. */
  public static final String TEMP_PREFIX = ".tmp-";

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

  /**
   * The snapshot of {@code layer}, unpacking it first if needed. Several threads or processes may
   * ask for the same one at once: one unpacks it (under a lock per diff ID) while the others wait and
   * then use it.
   */
  public Path snapshot(LayerBlob layer) throws IOException {
    Path target = root.resolve(relativePath(layer.diffId()));
    if (Files.isDirectory(target)) {
      return target;
    }
    try (NamedLock ignored = NamedLock.acquire(root.resolve(".locks").resolve(layer.diffId().hex() + ".lock"))) {
      if (!Files.isDirectory(target)) {
        unpack(layer, target);
      }
      return target;
    } catch (IOException e) {
      throw StoreFullException.translate(e, store.root(), "the snapshot of layer " + layer.descriptor().digest());
    }
  }

  private void unpack(LayerBlob layer, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = root.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + UUID.randomUUID());
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
      moveIntoPlace(temp, target);
    } finally {
      if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
        ImageChecks.deleteTree(temp);
      }
    }
  }

  /**
   * Renames a finished snapshot into place. A rename onto a directory that exists fails (with
   * "Directory not empty"); then another writer that took no lock (an older berth) won, and its
   * snapshot is used.
   */
  private static void moveIntoPlace(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename a snapshot into place in " + target.getParent(), e);
    } catch (FileSystemException e) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
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
