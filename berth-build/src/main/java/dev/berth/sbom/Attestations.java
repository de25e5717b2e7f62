package dev.berth.sbom;

import dev.berth.engine.BaseImage;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.Referrer;
import dev.berth.store.ContentStore;
import dev.berth.store.StoreReferrers;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image's SBOM and provenance in the store, as OCI artifacts whose subject is its manifest:
 * written right after the build (before the image is named, so a named image has them), read by
 * {@code berth sbom}, {@code berth provenance}, {@code berth affected} and the next image's build.
 */
public final class Attestations {
  private final ContentStore store;

  public Attestations(ContentStore store) {
    this.store = store;
  }

  /** A document and its media type. */
  public record Document(String mediaType, byte[] bytes) {}

  /** The build hook that writes an SBOM in {@code format} and the provenance of each image built. */
  public dev.berth.engine.KeyedBuild.AfterBuild writer(SbomFormat format) {
    return (prepared, base, manifest, builder) -> attach(prepared, base, manifest, builder, format);
  }

  /** Writes the SBOM (in {@code format}) and the provenance of a just-built image. */
  public void attach(PreparedImage prepared, BaseImage base, Descriptor manifest, String builder,
      SbomFormat format) throws IOException {
    ImageSbom sbom = new SbomCollector(store).collect(prepared, base, manifest);
    Map<String, String> annotations = Map.of("org.opencontainers.image.created", sbom.created());
    byte[] provenance = Provenance.write(prepared, sbom.base().reference(), sbom.base().manifest(),
        manifest.digest(), builder, sbom.created());
    String[] otherFormats = java.util.Arrays.stream(SbomFormat.values()).filter(other -> other != format)
        .map(SbomFormat::mediaType).toArray(String[]::new);  // one SBOM per image: a rebuild in another format replaces it
    new StoreReferrers(store).attachAll(manifest, List.of(new StoreReferrers.Document(format.mediaType(), format.write(sbom)),
        new StoreReferrers.Document(Provenance.MEDIA_TYPE, provenance)), annotations, otherFormats);
  }

  /** The image's SBOM, in whichever format it was written. */
  public Optional<Document> sbom(Digest image) throws IOException {
    StoreReferrers referrers = new StoreReferrers(store);
    for (Referrer referrer : referrers.list(image).manifests()) {
      if (SbomFormat.isSbom(referrer.artifactType())) {
        return referrers.document(image, referrer.artifactType()).map(bytes -> new Document(referrer.artifactType(), bytes));
      }
    }
    return Optional.empty();
  }

  public Optional<Document> provenance(Digest image) throws IOException {
    return new StoreReferrers(store).document(image, Provenance.MEDIA_TYPE)
        .map(bytes -> new Document(Provenance.MEDIA_TYPE, bytes));
  }
}
