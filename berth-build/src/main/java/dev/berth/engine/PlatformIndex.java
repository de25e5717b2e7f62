package dev.berth.engine;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI index of an image built for several platforms: one child manifest per platform (each with its
 * own key), named by a key over the children's keys. Same children in the same order, same index bytes.
 */
public final class PlatformIndex {
  private PlatformIndex() {}

  /** One platform's image: its key and the manifest built under it. */
  public record Child(Platform platform, ContentKey key, Descriptor manifest) {}

  /** The index in the store: its key, its descriptor, and the names it is tagged with there. */
  public record Written(ContentKey key, Descriptor index, List<String> refNames) {}

  /** The key of an index over {@code children}: a sha256 over each platform with its child's key, in order. */
  public static ContentKey key(List<Child> children) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (Child child : children) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("platform", child.platform().toString());
      entry.put("key", child.key().digest().toString());
      entries.add(entry);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("format", ContentKey.BUILD_FORMAT);
    document.put("index", entries);
    return new ContentKey(Digest.sha256(Json.canonical(document)));
  }

  /**
   * Writes the index over {@code children} to {@code store} and tags it {@code name:TAG} for each of
   * {@code tags} (already expanded, the index key's tag among them when the spec says {@code {key}}).
   * Each child descriptor carries its platform (as its config says) and its key tag as
   * {@code org.opencontainers.image.ref.name}.
   */
  public static Written write(ContentStore store, String name, List<Child> children, List<String> tags)
      throws IOException {
    if (children.size() < 2) {
      throw new IllegalArgumentException(name + ": an index needs two platforms or more, not " + children.size());
    }
    List<Descriptor> manifests = new ArrayList<>();
    for (Child child : children) {
      ImageManifest manifest = ImageManifest.parse(store.readBlob(child.manifest().digest()));
      Platform platform = ImageConfig.parse(store.readBlob(manifest.config().digest())).platform();
      if (!child.platform().matches(platform)) {
        throw new BuildException(name + ": the image built for " + child.platform() + " says it is for " + platform);
      }
      manifests.add(new Descriptor(child.manifest().mediaType(), child.manifest().digest(), child.manifest().size())
          .withPlatform(platform).withAnnotation(Descriptor.REF_NAME, child.key().tag()));
    }
    byte[] json = ImageIndex.oci(manifests).toJson();
    Descriptor index = store.writeBlob(MediaTypes.OCI_INDEX, json);
    List<String> refNames = new ArrayList<>();
    for (String tag : tags) {
      String refName = name + ":" + tag;
      store.tag(refName, index);
      refNames.add(refName);
    }
    return new Written(key(children), index, List.copyOf(refNames));
  }
}
