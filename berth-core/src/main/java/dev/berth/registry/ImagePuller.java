package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Pulls an image (one platform of an index, or all of it) into a store: blobs already there are
 * skipped, the others streamed in parallel and verified, each manifest stored after its blobs.
 */
final class ImagePuller {
  /** Configs up to this size are held in memory until their layers are in (a config is a few KiB). */
  private static final int CONFIG_IN_MEMORY = 4 << 20;

  private final RegistryTransport transport;
  private final ManifestPuller manifestPuller;
  private final BlobPuller blobPuller;
  private final Map<Digest, String> knownRepositories;
  private final int parallelism;
  private final TransferListener listener;

  ImagePuller(RegistryTransport transport, Map<Digest, String> knownRepositories, int parallelism,
      TransferListener listener) {
    this.transport = transport;
    this.manifestPuller = new ManifestPuller(transport);
    this.blobPuller = new BlobPuller(transport);
    this.knownRepositories = knownRepositories;
    this.parallelism = parallelism;
    this.listener = listener;
  }

  PullResult pull(ImageReference reference, Platform platform, ContentStore store) throws IOException {
    String repository = reference.repository();
    List<Digest> downloaded = Collections.synchronizedList(new ArrayList<>());
    List<Digest> skipped = Collections.synchronizedList(new ArrayList<>());
    ManifestResponse top = manifestPuller.get(repository, reference.manifestReference(), ManifestPuller.ACCEPT_ALL);
    try (ParallelTasks tasks = new ParallelTasks(parallelism, transport.host())) {
      Descriptor pulled;
      if (top.isIndex()) {
        ImageIndex index = ImageIndex.parse(top.bytes());
        if (platform != null) {
          Descriptor chosen = index.manifestFor(platform).orElseThrow(() -> new IllegalArgumentException(
              reference + " has no image for " + platform + "; it has " + platformsOf(index)));
          pulled = pullManifest(repository, chosen, store, tasks, downloaded, skipped);
        } else {
          for (Descriptor child : index.manifests()) {
            pullManifest(repository, child, store, tasks, downloaded, skipped);
          }
          store.writeBlob(top.descriptor().mediaType(), top.bytes());
          pulled = top.descriptor();
        }
      } else {
        storeImage(repository, top, store, tasks, downloaded, skipped);
        pulled = top.descriptor();
      }
      return new PullResult(pulled, downloaded, skipped);
    }
  }

  private Descriptor pullManifest(String repository, Descriptor child, ContentStore store, ParallelTasks tasks,
      List<Digest> downloaded, List<Digest> skipped) throws IOException {
    ManifestResponse manifest = manifestPuller.get(repository, child.digest().toString(), ManifestPuller.ACCEPT_ALL);
    if (!MediaTypes.isManifest(manifest.descriptor().mediaType())) {
      throw new InvalidContentException("index entry " + child.digest() + " of " + repository + " is a "
          + manifest.descriptor().mediaType() + ", not an image manifest");
    }
    storeImage(repository, manifest, store, tasks, downloaded, skipped);
    return manifest.descriptor().withPlatform(child.platform());
  }

  /**
   * Layers are streamed into the store in parallel; the config is held in memory and stored with the
   * manifest only once every layer has arrived intact, so a failed pull leaves no image parts that a
   * later command could take for a complete one.
   */
  private void storeImage(String repository, ManifestResponse response, ContentStore store, ParallelTasks tasks,
      List<Digest> downloaded, List<Digest> skipped) throws IOException {
    ImageManifest manifest = ImageManifest.parse(response.bytes());
    Descriptor config = manifest.config();
    java.util.concurrent.atomic.AtomicReference<byte[]> configBytes = new java.util.concurrent.atomic.AtomicReference<>();
    List<Future<Void>> transfers = new ArrayList<>();
    if (store.hasBlob(config.digest())) {
      skipped.add(config.digest());
    } else if (config.size() <= CONFIG_IN_MEMORY) {
      transfers.add(tasks.submit(() -> {
        configBytes.set(blobPuller.read(repository, config, CONFIG_IN_MEMORY));
      }));
    } else {
      transfers.add(tasks.submit(() -> {
        blobPuller.pull(repository, config, store, ThrottledProgress.of(listener, config.digest(), config.size()));
        downloaded.add(config.digest());
      }));
    }
    knownRepositories.put(config.digest(), repository);
    for (Descriptor blob : manifest.layers()) {
      if (store.hasBlob(blob.digest())) {
        skipped.add(blob.digest());
      } else {
        transfers.add(tasks.submit(() -> {
          blobPuller.pull(repository, blob, store, ThrottledProgress.of(listener, blob.digest(), blob.size()));
          downloaded.add(blob.digest());
        }));
      }
      knownRepositories.put(blob.digest(), repository);
    }
    ParallelTasks.awaitAll(transfers);
    if (configBytes.get() != null) {
      store.writeBlob(config.mediaType(), configBytes.get());
      downloaded.add(config.digest());
    }
    store.writeBlob(response.descriptor().mediaType(), response.bytes());
  }

  private static String platformsOf(ImageIndex index) {
    return index.manifests().stream()
        .map(d -> d.platform() == null ? "(no platform)" : d.platform().toString())
        .collect(Collectors.joining(", "));
  }
}
