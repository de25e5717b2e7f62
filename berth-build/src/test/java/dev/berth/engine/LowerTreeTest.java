package dev.berth.engine;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.layer.Compression;
import dev.berth.layer.EntryAttributes;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import dev.berth.store.ContentStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class LowerTreeTest {
  @TempDir Path work;

  @Test
  void followsSymlinksInsideTheRootAndAppliesWhiteouts() throws Exception {
    ContentStore store = ContentStore.open(work.resolve("store"));
    LayerBlob base = new LayerBuilder(Compression.GZIP, 0)
        .addDirectory("/foo", new EntryAttributes(7, 8, 0711))
        .addSymlink("/bar", "/foo", EntryAttributes.DEFAULT)
        .addSymlink("/up", "../../../foo", EntryAttributes.DEFAULT)
        .addDirectory("/gone/sub", EntryAttributes.DEFAULT)
        .writeTo(store);
    LayerBlob top = new LayerBuilder(Compression.GZIP, 0).addWhiteout("/gone").writeTo(store);
    LowerTree tree = LowerTree.of(store, List.of(base, top));

    assertThat(tree.resolve("/bar/file", false)).isEqualTo("/foo/file");
    assertThat(tree.resolve("/bar", false)).isEqualTo("/bar");
    assertThat(tree.resolve("/bar", true)).isEqualTo("/foo");
    assertThat(tree.resolve("/up/x", true)).as("a link never leaves the root").isEqualTo("/foo/x");
    assertThat(tree.existingDirectory("foo")).contains(new EntryAttributes(7, 8, 0711));
    assertThat(tree.get("gone")).isEmpty();
    assertThat(tree.get("gone/sub")).isEmpty();
  }
}
