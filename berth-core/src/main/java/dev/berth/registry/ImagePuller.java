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
  private final RegistryTransport transport;
  private final ManifestPuller manifestPuller;
  private final BlobPuller blobPuller;
  private final Map<Digest, String> knownRepositories;
  private final int parallelism;

  ImagePuller(RegistryTransport transport, Map<Digest, String> knownRepositories, int parallelism) {
    this.transport = transport;
    this.manifestPuller = new ManifestPuller(transport);
    this.blobPuller = new BlobPuller(transport);
    this.knownRepositories = knownRepositories;
    this.parallelism = parallelism;
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

  private void storeImage(String repository, ManifestResponse response, ContentStore store, ParallelTasks tasks,
      List<Digest> downloaded, List<Digest> skipped) throws IOException {
    ImageManifest manifest = ImageManifest.parse(response.bytes());
    List<Descriptor> blobs = new ArrayList<>();
    blobs.add(manifest.config());
    blobs.addAll(manifest.layers());
    List<Future<Void>> transfers = new ArrayList<>();
    for (Descriptor blob : blobs) {
      if (store.hasBlob(blob.digest())) {
        skipped.add(blob.digest());
      } else {
        transfers.add(tasks.submit(() -> {
          blobPuller.pull(repository, blob, store);
          downloaded.add(blob.digest());
        }));
      }
      knownRepositories.put(blob.digest(), repository);
    }
    ParallelTasks.awaitAll(transfers);
    store.writeBlob(response.descriptor().mediaType(), response.bytes());
  }

  private static String platformsOf(ImageIndex index) {
    return index.manifests().stream()
        .map(d -> d.platform() == null ? "(no platform)" : d.platform().toString())
        .collect(Collectors.joining(", "));
  }
}
