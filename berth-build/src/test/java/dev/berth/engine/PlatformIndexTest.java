package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class PlatformIndexTest {
  @TempDir Path work;

  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");

  private static PlatformIndex.Child child(ContentStore store, Platform platform, String seed) throws Exception {
    Descriptor config = store.writeBlob(MediaTypes.OCI_CONFIG, ImageConfig.empty(platform, "1970-01-01T00:00:00Z").toJson());
    ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, List.of(), Map.of());
    Descriptor written = store.writeBlob(MediaTypes.OCI_MANIFEST, dev.berth.oci.Json.canonical(manifest));
    return new PlatformIndex.Child(platform, new ContentKey(Digest.sha256(seed.getBytes())), written);
  }

  @Test
  void theIndexListsEachChildWithItsPlatformAndKeyAndIsReproducible() throws Exception {
    ContentStore store = ContentStore.open(work.resolve("store"));
    List<PlatformIndex.Child> children = List.of(child(store, AMD64, "a"), child(store, ARM64, "b"));
    ContentKey key = PlatformIndex.key(children);
    PlatformIndex.Written written = PlatformIndex.write(store, "app", children, List.of(key.tag(), "1.0"));
    assertThat(written.key()).isEqualTo(key);
    assertThat(written.refNames()).containsExactly("app:" + key.tag(), "app:1.0");
    assertThat(store.resolve("app:1.0").orElseThrow().digest()).isEqualTo(written.index().digest());
    ImageIndex index = ImageIndex.parse(store.readBlob(written.index().digest()));
    assertThat(index.mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
    assertThat(index.manifests()).extracting(Descriptor::platform).containsExactly(AMD64, ARM64);
    assertThat(index.manifests().get(1).annotations()).containsEntry(Descriptor.REF_NAME, children.get(1).key().tag());

    ContentStore other = ContentStore.open(work.resolve("other"));
    List<PlatformIndex.Child> again = List.of(child(other, AMD64, "a"), child(other, ARM64, "b"));
    assertThat(PlatformIndex.write(other, "app", again, List.of("1.0")).index().digest())
        .as("same children, same index").isEqualTo(written.index().digest());
    assertThat(PlatformIndex.key(List.of(children.get(0), child(store, ARM64, "c"))))
        .as("another child, another key").isNotEqualTo(key);
    assertThat(PlatformIndex.key(List.of(children.get(1), children.get(0)))).as("order counts").isNotEqualTo(key);
  }

  @Test
  void aChildWhoseConfigSaysAnotherPlatformIsRefused() throws Exception {
    ContentStore store = ContentStore.open(work.resolve("store"));
    PlatformIndex.Child amd = child(store, AMD64, "a");
    PlatformIndex.Child lying = new PlatformIndex.Child(ARM64, amd.key(), amd.manifest());
    assertThatThrownBy(() -> PlatformIndex.write(store, "app", List.of(amd, lying), List.of("x")))
        .isInstanceOf(BuildException.class).hasMessage("app: the image built for linux/arm64 says it is for linux/amd64");
  }
}
