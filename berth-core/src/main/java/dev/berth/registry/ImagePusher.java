package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaTypes;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/**
 * Pushes an image or index from a store: blobs first (checked with HEAD, mounted or uploaded in
 * parallel), each manifest only once every blob it names is confirmed, the tag last.
 */
final class ImagePusher {
  private final RegistryTransport transport;
  private final BlobChecker checker;
  private final BlobPusher blobPusher;
  private final ManifestPuller manifestPuller;
  private final ManifestPusher manifestPusher;
  private final Map<Digest, String> knownRepositories;
  private final int parallelism;
  private final TransferListener listener;

  ImagePusher(RegistryTransport transport, BlobPusher blobPusher, Map<Digest, String> knownRepositories,
      int parallelism, TransferListener listener) {
    this.transport = transport;
    this.checker = new BlobChecker(transport);
    this.blobPusher = blobPusher;
    this.manifestPuller = new ManifestPuller(transport);
    this.manifestPusher = new ManifestPusher(transport);
    this.knownRepositories = knownRepositories;
    this.parallelism = parallelism;
    this.listener = listener;
  }

  PushResult push(ContentStore store, Descriptor top, ImageReference target) throws IOException {
    if (target.digest() != null && !target.digest().equals(top.digest())) {
      throw new IllegalArgumentException("cannot push " + top.digest() + " to " + target
          + ": the reference pins another digest");
    }
    String repository = target.repository();
    String reference = target.tag() != null || target.digest() == null ? target.tagOrDefault() : target.digest().toString();
    Progress progress = new Progress();
    Optional<Descriptor> existing = manifestPuller.head(repository, reference);
    if (existing.isPresent() && existing.get().digest().equals(top.digest())) {
      for (Digest digest : store.reachableFrom(top)) {
        if (!digest.equals(top.digest())) {
          progress.skipped.add(digest);
        }
      }
      return progress.result(top, true);
    }
    try (ParallelTasks tasks = new ParallelTasks(parallelism, transport.host())) {
      Session session = new Session(store, repository, tasks, progress);
      session.pushNode(top, reference, false);
    }
    return progress.result(top, false);
  }

  private static final class Progress {
    final List<Digest> uploaded = Collections.synchronizedList(new ArrayList<>());
    final List<Digest> skipped = Collections.synchronizedList(new ArrayList<>());
    final List<Digest> mounted = Collections.synchronizedList(new ArrayList<>());

    PushResult result(Descriptor top, boolean upToDate) {
      return new PushResult(top, uploaded, skipped, mounted, upToDate);
    }
  }

  private final class Session {
    private final ContentStore store;
    private final String repository;
    private final ParallelTasks tasks;
    private final Progress progress;
    private final Map<Digest, Future<Void>> blobs = new ConcurrentHashMap<>();

    Session(ContentStore store, String repository, ParallelTasks tasks, Progress progress) {
      this.store = store;
      this.repository = repository;
      this.tasks = tasks;
      this.progress = progress;
    }

    void pushNode(Descriptor node, String reference, boolean skipIfPresent) throws IOException {
      if (!store.hasBlob(node.digest())) {
        throw new IOException("manifest " + node.digest() + " is not in the store " + store.root());
      }
      byte[] bytes = store.readBlob(node.digest());
      if (skipIfPresent && manifestPuller.head(repository, node.digest().toString()).isPresent()) {
        progress.skipped.add(node.digest());
        return;
      }
      if (MediaTypes.isIndex(node.mediaType())) {
        for (Descriptor child : ImageIndex.parse(bytes).manifests()) {
          pushNode(child, child.digest().toString(), true);
        }
      } else if (MediaTypes.isManifest(node.mediaType())) {
        ImageManifest manifest = ImageManifest.parse(bytes);
        List<Descriptor> needed = new ArrayList<>();
        needed.add(manifest.config());
        needed.addAll(manifest.layers());
        for (Descriptor blob : needed) {
          if (!store.hasBlob(blob.digest())) {
            throw new IOException("blob " + blob.digest() + " named by manifest " + node.digest()
                + " is not in the store " + store.root());
          }
        }
        List<Future<Void>> confirmations = new ArrayList<>();
        for (Descriptor blob : needed) {
          confirmations.add(blobs.computeIfAbsent(blob.digest(), d -> tasks.submit(() -> ensureBlob(blob))));
        }
        ParallelTasks.awaitAll(confirmations);
      } else {
        throw new IllegalArgumentException("cannot push " + node.digest() + ": media type " + node.mediaType()
            + " is neither a manifest nor an index");
      }
      manifestPusher.put(repository, reference, node, bytes);
    }

    private void ensureBlob(Descriptor blob) throws IOException {
      if (checker.exists(repository, blob.digest(), Scopes.push(repository))) {
        progress.skipped.add(blob.digest());
      } else {
        Optional<String> mountFrom = Optional.ofNullable(knownRepositories.get(blob.digest()));
        BlobPusher.Outcome outcome = blobPusher.push(repository, blob, store.blobPath(blob.digest()), mountFrom,
            ThrottledProgress.of(listener, blob.digest(), blob.size()));
        (outcome == BlobPusher.Outcome.MOUNTED ? progress.mounted : progress.uploaded).add(blob.digest());
      }
      knownRepositories.put(blob.digest(), repository);
    }
  }
}
