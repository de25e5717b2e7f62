package dev.berth.store;

import dev.berth.oci.ArtifactManifest;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Referrer;
import dev.berth.oci.ReferrersIndex;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The artifacts (SBOMs, provenance) that refer to images of a store, kept as a registry without the
 * referrers API keeps them: an index of artifact manifests per subject, named
 * {@code referrers:sha256-<hex>}, so {@code store gc} keeps them and a push can copy them as they are.
 */
public final class StoreReferrers {
  /** The name berth's store gives every referrers index; the tag is the subject's {@code sha256-<hex>}. */
  public static final String NAME = "referrers";

  private final ContentStore store;
  private final String prefix;

  /** The referrers of berth's store, named {@code referrers:sha256-<hex>}. */
  public StoreReferrers(ContentStore store) {
    this(store, NAME + ":");
  }

  private StoreReferrers(ContentStore store, String prefix) {
    this.store = store;
    this.prefix = prefix;
  }

  /** The referrers of an OCI layout written for others ({@code --output oci:DIR}): named {@code sha256-<hex>}, the tag schema. */
  public static StoreReferrers ofLayout(ContentStore layout) {
    return new StoreReferrers(layout, "");
  }

  /** The store these referrers are kept in. */
  public ContentStore store() {
    return store;
  }

  /** Whether {@code refName} names a referrers index (either naming), not an image. */
  public static boolean isReferrersName(String refName) {
    return refName != null && refName.matches("(" + NAME + ":)?sha256-[0-9a-f]{64}");
  }

  private String refName(Digest subject) {
    return prefix + ReferrersIndex.tagFor(subject);
  }

  /** Copies the artifacts about {@code subject} into {@code target}'s store and its index of them. */
  public void copyTo(StoreReferrers target, Digest subject) throws IOException {
    for (Referrer referrer : list(subject).manifests()) {
      ImageCopy.copy(store, referrer.descriptor(), target.store, null);
      target.add(subject, referrer);
    }
  }

  /**
   * Writes {@code document} as an OCI artifact of {@code artifactType} about {@code subject}, and adds it
   * to the subject's referrers index (replacing one of the same artifact type).
   */
  public Descriptor attach(Descriptor subject, String artifactType, byte[] document, Map<String, String> annotations)
      throws IOException {
    return attachAll(subject, java.util.List.of(new Document(artifactType, document)), annotations).get(0);
  }

  /** A document to attach: its media type (also the artifact's type) and bytes. */
  public record Document(String artifactType, byte[] bytes) {}

  /**
   * Attaches several documents about {@code subject} at once (one update of the index), each replacing
   * any artifact of its type; {@code dropped} artifact types are removed.
   */
  public java.util.List<Descriptor> attachAll(Descriptor subject, java.util.List<Document> documents,
      Map<String, String> annotations, String... dropped) throws IOException {
    store.writeBlob(ArtifactManifest.EMPTY_MEDIA_TYPE, ArtifactManifest.EMPTY_CONTENT);
    java.util.List<Descriptor> written = new java.util.ArrayList<>();
    java.util.List<Referrer> referrers = new java.util.ArrayList<>();
    for (Document document : documents) {
      Descriptor blob = store.writeBlob(document.artifactType(), document.bytes());
      ArtifactManifest manifest = ArtifactManifest.of(document.artifactType(), blob, subject, annotations);
      Descriptor descriptor = store.writeBlob(MediaTypes.OCI_MANIFEST, manifest.toJson());
      written.add(descriptor);
      referrers.add(new Referrer(MediaTypes.OCI_MANIFEST, descriptor.digest(), descriptor.size(),
          document.artifactType(), annotations));
    }
    try (NamedLock lock = NamedLock.acquire(store.root().resolve(".berth-referrers.lock"))) {
      ReferrersIndex updated = list(subject.digest());
      for (String type : dropped) {
        updated = withOnly(updated, type);
      }
      for (Referrer referrer : referrers) {
        updated = withOnly(updated, referrer.artifactType()).with(referrer);
      }
      store.tag(refName(subject.digest()), store.writeBlob(MediaTypes.OCI_INDEX, updated.toJson()));
    }
    return written;
  }

  /** Adds an artifact manifest already in the store (pulled, or copied from another store) to its subject's index. */
  public void add(Digest subject, Referrer referrer) throws IOException {
    try (NamedLock lock = NamedLock.acquire(store.root().resolve(".berth-referrers.lock"))) {
      ReferrersIndex updated = list(subject).with(referrer);
      store.tag(refName(subject), store.writeBlob(MediaTypes.OCI_INDEX, updated.toJson()));
    }
  }

  /**
   * Forgets the artifacts of images the store no longer names (after a prune), so gc can remove them.
   *
   * @return the referrers names removed
   */
  public java.util.List<String> dropOrphans() throws IOException {
    java.util.Set<Digest> named = new java.util.HashSet<>();
    java.util.List<String> referrers = new java.util.ArrayList<>();
    for (Descriptor entry : store.references()) {
      String refName = entry.annotations().get(Descriptor.REF_NAME);
      if (refName != null && refName.startsWith(prefix) && isReferrersName(refName)) {
        referrers.add(refName);
      } else {
        named.add(entry.digest());
      }
    }
    java.util.List<String> removed = new java.util.ArrayList<>();
    for (String refName : referrers) {
      String tag = refName.substring(prefix.length());
      Digest subject = Digest.parse(tag.replaceFirst("-", ":"));
      if (!named.contains(subject) && store.untag(refName)) {
        removed.add(refName);
      }
    }
    return removed;
  }

  /** The artifacts about {@code subject} (empty when none). */
  public ReferrersIndex list(Digest subject) throws IOException {
    Optional<Descriptor> index = store.resolve(refName(subject));
    if (index.isEmpty()) {
      return ReferrersIndex.empty();
    }
    return ReferrersIndex.parse(store.readBlob(index.get().digest()));
  }

  /** The document of the newest artifact of {@code artifactType} about {@code subject}. */
  public Optional<byte[]> document(Digest subject, String artifactType) throws IOException {
    Optional<Referrer> referrer = list(subject).find(artifactType);
    if (referrer.isEmpty()) {
      return Optional.empty();
    }
    ArtifactManifest manifest = ArtifactManifest.parse(store.readBlob(referrer.get().digest()));
    return Optional.of(store.readBlob(manifest.layers().get(0).digest()));
  }

  private static ReferrersIndex withOnly(ReferrersIndex index, String droppedType) {
    return new ReferrersIndex(2, MediaTypes.OCI_INDEX, index.manifests().stream()
        .filter(r -> !droppedType.equals(r.artifactType())).toList());
  }
}
