package dev.berth.layer;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import dev.berth.store.StoreFullException;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Layers by step key: a step whose key is here (and whose blob is still in the store) is not run
 * again. Entries are small JSON files under {@code berth-steps/} in the store, written atomically.
 * An entry whose blob was garbage-collected is a miss, never an error.
 */
public final class StepCache {
  private final ContentStore store;
  private final Path directory;

  public StepCache(ContentStore store) {
    this.store = store;
    this.directory = store.root().resolve("berth-steps");
  }

  record Entry(@JsonProperty("layer") Descriptor layer, @JsonProperty("diffId") Digest diffId) {}

  public Optional<LayerBlob> find(Digest stepKey) throws IOException {
    Path file = directory.resolve(stepKey.hex() + ".json");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Entry entry;
    try {
      entry = Json.read(Files.readAllBytes(file), Entry.class);
    } catch (RuntimeException corrupt) {
      return Optional.empty();
    }
    if (entry.layer() == null || entry.diffId() == null || !store.hasBlob(entry.layer().digest())) {
      return Optional.empty();
    }
    return Optional.of(new LayerBlob(entry.layer(), entry.diffId()));
  }

  /**
   * Records {@code layer} as the result of {@code stepKey}, unless another build recorded one first:
   * the first writer wins and the entry in the cache is returned. A stale entry (its blob gone) is
   * replaced.
   */
  public LayerBlob put(Digest stepKey, LayerBlob layer) throws IOException {
    Files.createDirectories(directory);
    Path entry = directory.resolve(stepKey.hex() + ".json");
    Path temp = store.tempDirectory().resolve(ContentStore.tempName("step"));
    try {
      Files.write(temp, Json.canonical(new Entry(layer.descriptor(), layer.diffId())));
      try {
        Files.createLink(entry, temp);  // fails when an entry is there: never replaces a winner's
        return layer;
      } catch (FileAlreadyExistsException raced) {
        Optional<LayerBlob> winner = find(stepKey);
        if (winner.isPresent()) {
          return winner.get();
        }
        Files.move(temp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return layer;
      }
    } catch (IOException e) {
      throw StoreFullException.translate(e, store.root(), "a step cache entry");
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  public Path directory() {
    return directory;
  }
}
