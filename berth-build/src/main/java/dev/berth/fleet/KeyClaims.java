package dev.berth.fleet;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.registry.RegistryException;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Advisory claims in the registry, so that runs started together split a tree instead of building
 * it twice: before building a key, a run tags a tiny empty image {@code NAME:KEYTAG-claim} whose
 * manifest annotations name the run's owner and when the claim expires. Another run that finds an
 * unexpired claim of another owner waits for the key tag instead of building, until the claim is
 * released (its build failed) or expires (its run died: a live run renews its claims, {@link
 * ClaimRenewal}). A published key's claim is deleted; {@link #prune} deletes claims that are spent.
 * A registry has no compare-and-swap, so two runs that claim in the same instant both build; the key
 * tag, checked again before every push, keeps the end state consistent anyway.
 *
 * <p>A claim costs one manifest {@code PUT} (its config, the same empty one for every claim, is
 * pushed once per repository) and is read with one {@code GET}.
 */
final class KeyClaims {
  static final String SUFFIX = "-claim";
  private static final String OWNER = "dev.berth.claim.owner";
  private static final String EXPIRES = "dev.berth.claim.expires";
  private static final String RELEASED = "dev.berth.claim.released";
  private static final String KEY = "dev.berth.claim.key";

  /** What a claim says. */
  record Claim(String owner, Instant expires, boolean released, Digest manifest) {
    /** Whether it holds other runs back at {@code now}. */
    boolean inForce(Instant now) {
      return !released && expires.isAfter(now);
    }
  }

  private final FleetRegistry registry;
  private final ContentStore store;
  private final String owner;
  private final Duration lease;
  private final Clock clock;
  private final Descriptor config;
  private final Set<String> configPushed = ConcurrentHashMap.newKeySet();

  /** @param owner who claims: the machine and the tree, so a resumed run takes over its own claims */
  KeyClaims(FleetRegistry registry, ContentStore store, String owner, Duration lease, Clock clock) throws IOException {
    this.registry = registry;
    this.store = store;
    this.owner = owner;
    this.lease = lease;
    this.clock = clock;
    Map<String, Object> empty = new TreeMap<>(Map.of("architecture", "amd64", "os", "linux",
        "rootfs", Map.of("type", "layers", "diff_ids", List.of())));
    this.config = store.writeBlob(MediaTypes.OCI_CONFIG, Json.canonical(empty));
  }

  String owner() {
    return owner;
  }

  Duration lease() {
    return lease;
  }

  /** What another run's claim says, if there is one in force for the key. */
  Optional<String> heldByOther(String image, String keyTag) throws IOException {
    Optional<Claim> claim = read(image, keyTag);
    if (claim.isEmpty() || claim.get().owner().equals(owner) || !claim.get().inForce(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(claim.get().owner());
  }

  /** The claim on the key, if the registry has one. */
  Optional<Claim> read(String image, String keyTag) throws IOException {
    String repository = registry.namespace() + image;
    byte[] bytes;
    Digest digest;
    try {
      var response = registry.client().getManifest(repository, keyTag + SUFFIX);
      bytes = response.bytes();
      digest = response.descriptor().digest();
    } catch (RegistryException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    Map<String, String> notes = ImageManifest.parse(bytes).annotations();
    Instant expires;
    try {
      expires = Instant.parse(notes.getOrDefault(EXPIRES, "1970-01-01T00:00:00Z"));
    } catch (DateTimeParseException e) {
      expires = Instant.EPOCH;  // unreadable: treated as expired
    }
    return Optional.of(new Claim(notes.getOrDefault(OWNER, ""), expires, "true".equals(notes.get(RELEASED)), digest));
  }

  /**
   * Puts the claims' empty config into the image's repository ahead of time, so that claiming there is
   * one manifest {@code PUT}: the shorter a claim takes, the less two runs claiming at once overlap.
   */
  void prepare(String image) throws IOException {
    String repository = registry.namespace() + image;
    if (!configPushed.contains(repository)) {
      registry.client().pushBlob(store, repository, config);
      configPushed.add(repository);
    }
  }

  /** Claims the key (or renews this run's claim) for one lease from now. */
  void claim(String image, String keyTag) throws IOException {
    write(image, keyTag, false);
  }

  /** The build failed on its merits: a waiting run may try the key itself. */
  void release(String image, String keyTag) throws IOException {
    write(image, keyTag, true);
  }

  /** The key is published: its claim, if still this run's, is deleted (kept where the registry does not delete). */
  void remove(String image, String keyTag) throws IOException {
    Optional<Claim> claim = read(image, keyTag);
    if (claim.isPresent() && claim.get().owner().equals(owner)) {
      registry.client().deleteManifest(registry.namespace() + image, claim.get().manifest());
    }
  }

  /**
   * Deletes the spent claims in the repositories of {@code images}: expired (their run died),
   * released (their build failed), or whose key tag is published.
   *
   * @throws RegistryException (405) when the registry does not delete manifests
   */
  List<ClaimPruning.Pruned> prune(Iterable<String> images) throws IOException {
    List<ClaimPruning.Pruned> pruned = new java.util.ArrayList<>();
    Instant now = clock.instant();
    for (String image : images) {
      String repository = registry.namespace() + image;
      for (String tag : registry.client().listTags(repository)) {
        if (!tag.endsWith(SUFFIX)) {
          continue;
        }
        String keyTag = tag.substring(0, tag.length() - SUFFIX.length());
        Optional<Claim> claim = read(image, keyTag);
        if (claim.isEmpty()) {
          continue;
        }
        String why = claim.get().released() ? "released" : !claim.get().expires().isAfter(now) ? "expired"
            : registry.keyed(image, keyTag).isPresent() ? "published" : null;
        if (why != null) {
          if (!registry.client().deleteManifest(repository, claim.get().manifest())) {
            throw new RegistryException("registry " + registry.host() + " does not delete manifests"
                + " (Distribution: storage.delete.enabled)", 405);
          }
          pruned.add(new ClaimPruning.Pruned(image, tag, why));
        }
      }
    }
    return pruned;
  }

  private void write(String image, String keyTag, boolean released) throws IOException {
    Instant now = clock.instant();
    Map<String, String> notes = new TreeMap<>(Map.of(OWNER, owner, KEY, image + ":" + keyTag,
        EXPIRES, (released ? now : now.plus(lease)).toString()));
    if (released) {
      notes.put(RELEASED, "true");
    }
    ImageManifest manifest = new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, List.of(), notes);
    byte[] bytes = manifest.toJson();
    prepare(image);
    registry.client().putManifest(registry.namespace() + image, keyTag + SUFFIX,
        new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(bytes), bytes.length), bytes);
  }
}
