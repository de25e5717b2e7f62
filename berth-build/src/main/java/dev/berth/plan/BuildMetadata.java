package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What buildx's {@code --metadata-file} holds, for each image a run finished: under buildx's keys
 * ({@code image.name}, {@code containerimage.digest}, {@code containerimage.config.digest},
 * {@code containerimage.descriptor} with the platform) plus berth's ({@code berth.key},
 * {@code berth.references}: what was pushed, or the store's names). One image is written as buildx
 * build writes it (one object); several by image name, as buildx bake writes targets.
 */
public final class BuildMetadata {
  private BuildMetadata() {}

  /** One image's entry. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      @JsonProperty("image.name") String imageName,
      @JsonProperty("containerimage.digest") String manifestDigest,
      @JsonProperty("containerimage.config.digest") String configDigest,
      @JsonProperty("containerimage.descriptor") Descriptor descriptor,
      @JsonProperty("berth.name") String name,
      @JsonProperty("berth.key") String key,
      @JsonProperty("berth.pushed") boolean pushed,
      @JsonProperty("berth.references") List<String> references) {}

  /** The entries of {@code images} (by name) that the run finished, in the run's order. */
  public static Map<String, Entry> of(TreeBuild.RunResult result, List<String> images, ContentStore store)
      throws IOException {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (TreeBuild.Result image : result.images()) {
      if (image.state().isFailure() || !images.contains(image.name())) {
        continue;
      }
      Optional<Descriptor> top = store.resolve(image.name() + ":" + image.key());
      if (top.isEmpty()) {
        continue;
      }
      ImageManifest manifest = ImageManifest.parse(store.readBlob(top.get().digest()));
      ImageConfig config = ImageConfig.parse(store.readBlob(manifest.config().digest()));
      Descriptor descriptor = new Descriptor(top.get().mediaType(), top.get().digest(), top.get().size(), null,
          config.platform());
      boolean pushed = image.state() == ImageState.PUBLISHED;
      List<String> references = image.references() == null ? List.of(image.name() + ":" + image.key())
          : image.references();
      List<String> names = references.stream().map(BuildMetadata::withoutDigest).toList();
      out.put(image.name(), new Entry(String.join(",", names), top.get().digest().toString(),
          manifest.config().digest().toString(), descriptor, image.name(), image.key(), pushed, references));
    }
    return out;
  }

  /** {@code host/app:1.0@sha256:…} as buildx names it in {@code image.name}: {@code host/app:1.0}. */
  private static String withoutDigest(String reference) {
    int at = reference.indexOf('@');
    return at > 0 ? reference.substring(0, at) : reference;
  }

  /** The metadata file's content: one entry as it is, several by name. */
  public static Object document(Map<String, Entry> entries) {
    return entries.size() == 1 ? entries.values().iterator().next() : entries;
  }
}
