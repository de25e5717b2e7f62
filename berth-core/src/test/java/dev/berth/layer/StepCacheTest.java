package dev.berth.layer;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two builds recording a result for the same step: the first one stays, the second is told which it is. */
@Tag("unit")
class StepCacheTest {
  @TempDir Path temp;

  @Test
  void theFirstWriterWinsAndAStaleEntryIsReplaced() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    StepCache cache = new StepCache(store);
    Digest step = Digest.sha256("step".getBytes(StandardCharsets.UTF_8));
    LayerBlob first = layer(store, "first");
    LayerBlob second = layer(store, "second");

    assertThat(cache.put(step, first)).isEqualTo(first);
    assertThat(cache.put(step, second)).as("the second writer gets the first one's layer").isEqualTo(first);
    assertThat(cache.find(step)).contains(first);

    java.nio.file.Files.delete(store.blobPath(first.descriptor().digest()));
    assertThat(cache.put(step, second)).as("an entry whose blob is gone is replaced").isEqualTo(second);
    assertThat(cache.find(step)).contains(second);
    try (var left = java.nio.file.Files.list(store.tempDirectory())) {
      assertThat(left).isEmpty();
    }
  }

  private static LayerBlob layer(ContentStore store, String content) throws Exception {
    Descriptor blob = store.writeBlob(MediaTypes.OCI_LAYER_GZIP, content.getBytes(StandardCharsets.UTF_8));
    return new LayerBlob(blob, Digest.sha256(("diff " + content).getBytes(StandardCharsets.UTF_8)));
  }
}
