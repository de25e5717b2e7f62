package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLParameters;

/**
 * Talks the OCI Distribution API to one registry host, with no daemon: manifests, blobs, pull into
 * and push from a {@link ContentStore}. Build one per host with {@link #builder()}; it is safe to
 * share between threads, and remembers which repository holds which blob so later pushes to the
 * same registry can mount instead of upload. {@link #close()} it when done: a JVM exits 0.3 s sooner
 * once the HTTP client's selector thread has stopped.
 */
public final class RegistryClient implements AutoCloseable {
  private final String host;
  private final HttpClient http;
  private final RegistryTransport transport;
  private final ManifestPuller manifestPuller;
  private final BlobChecker blobChecker;
  private final BlobPusher blobPusher;
  private final int parallelism;
  private final Map<Digest, String> knownRepositories = new ConcurrentHashMap<>();

  private RegistryClient(Builder builder, HttpClient http, RegistryTransport transport) {
    this.host = builder.host;
    this.http = http;
    this.transport = transport;
    this.manifestPuller = new ManifestPuller(transport);
    this.blobChecker = new BlobChecker(transport);
    this.blobPusher = new BlobPusher(transport, builder.monolithicLimit, builder.chunkSize);
    this.parallelism = builder.parallelism;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  /** The manifest or index {@code reference} (tag or digest) names, without its body. */
  public Optional<Descriptor> headManifest(String repository, String reference) throws IOException {
    return manifestPuller.head(repository, reference);
  }

  /** The manifest or index {@code reference} names, verified against its digest. */
  public ManifestResponse getManifest(String repository, String reference, List<String> accept) throws IOException {
    return manifestPuller.get(repository, reference, accept);
  }

  /** The manifest or index {@code reference} names, accepting every media type berth reads. */
  public ManifestResponse getManifest(String repository, String reference) throws IOException {
    return manifestPuller.get(repository, reference, ManifestPuller.ACCEPT_ALL);
  }

  /** A small blob such as an image config, read into memory and verified (at most 4 MiB). */
  public byte[] readBlob(String repository, Descriptor blob) throws IOException {
    return new BlobPuller(transport).read(repository, blob, 4 << 20);
  }

  /** Uploads one blob of {@code store} unless the repository has it (a mount from where it was seen first). */
  public void pushBlob(ContentStore store, String repository, Descriptor blob) throws IOException {
    if (!hasBlob(repository, blob.digest())) {
      blobPusher.push(repository, blob, store.blobPath(blob.digest()), Optional.ofNullable(knownRepositories.get(blob.digest())),
          ThrottledProgress.of(TransferListener.NONE, blob.digest(), blob.size()));
    }
    knownRepositories.put(blob.digest(), repository);
  }

  /** {@code PUT} of one manifest whose blobs the repository already has, under {@code reference}. */
  public void putManifest(String repository, String reference, Descriptor manifest, byte[] bytes) throws IOException {
    new ManifestPusher(transport).put(repository, reference, manifest, bytes);
  }

  /** The repository's tags (every page); empty when it does not exist. */
  public List<String> listTags(String repository) throws IOException {
    return new TagLister(transport).list(repository);
  }

  /**
   * Deletes the manifest {@code digest} and so every tag naming it; false when the registry does not
   * delete (Distribution's {@code storage.delete.enabled} is off).
   */
  public boolean deleteManifest(String repository, Digest digest) throws IOException {
    return new ManifestDeleter(transport).delete(repository, digest);
  }

  public boolean hasBlob(String repository, Digest digest) throws IOException {
    return blobChecker.exists(repository, digest, Scopes.pull(repository));
  }

  /**
   * Pulls {@code reference} into {@code store}: for an index, the manifest for {@code platform}, or
   * the whole index when {@code platform} is null. Nothing is tagged: hold {@link ContentStore#lease()}
   * and tag the returned descriptor.
   */
  public PullResult pull(ImageReference reference, Platform platform, ContentStore store) throws IOException {
    return pull(reference, platform, store, TransferListener.NONE);
  }

  /** {@link #pull(ImageReference, Platform, ContentStore)}, telling {@code listener} how each layer's download advances. */
  public PullResult pull(ImageReference reference, Platform platform, ContentStore store, TransferListener listener)
      throws IOException {
    checkHost(reference);
    return new ImagePuller(transport, knownRepositories, parallelism, listener).pull(reference, platform, store);
  }

  /**
   * Pushes the manifest or index {@code top} and everything it reaches from {@code store} to
   * {@code target}; blobs the repository has are skipped, manifests follow their blobs, tags come last.
   */
  public PushResult push(ContentStore store, Descriptor top, ImageReference target) throws IOException {
    return push(store, top, target, TransferListener.NONE);
  }

  /** {@link #push(ContentStore, Descriptor, ImageReference)}, telling {@code listener} how each blob's upload advances. */
  public PushResult push(ContentStore store, Descriptor top, ImageReference target, TransferListener listener)
      throws IOException {
    checkHost(target);
    return new ImagePusher(transport, blobPusher, knownRepositories, parallelism, listener).push(store, top, target);
  }

  /**
   * The artifacts (SBOMs, provenance) about {@code subject}: from the referrers API, else from the
   * referrers tag schema's {@code sha256-<hex>} tag; empty when there are none.
   */
  public dev.berth.oci.ReferrersIndex referrers(String repository, Digest subject) throws IOException {
    return new RegistryReferrers(transport).list(repository, subject);
  }

  /**
   * The document of an artifact {@code referrer} lists: its manifest is read, checked to be about
   * {@code subject} and to hold a blob of the artifact type, and that blob returned (at most 4 MiB).
   */
  public byte[] readArtifact(String repository, Digest subject, dev.berth.oci.Referrer referrer) throws IOException {
    ManifestResponse response = getManifest(repository, referrer.digest().toString(),
        List.of(dev.berth.oci.MediaTypes.OCI_MANIFEST));
    dev.berth.oci.ArtifactManifest artifact = dev.berth.oci.ArtifactManifest.parse(response.bytes());
    if (artifact.subject() == null || !artifact.subject().digest().equals(subject)) {
      throw new dev.berth.oci.InvalidContentException("artifact " + referrer.digest() + " on " + host
          + " is not about " + subject);
    }
    if (artifact.layers().size() != 1 || !artifact.layers().get(0).mediaType().equals(referrer.artifactType())) {
      throw new dev.berth.oci.InvalidContentException("artifact " + referrer.digest() + " on " + host + " holds "
          + artifact.layers().stream().map(Descriptor::mediaType).toList() + ", not one " + referrer.artifactType());
    }
    return readBlob(repository, artifact.layers().get(0));
  }

  /**
   * Pulls the artifacts about {@code subject} (SBOMs, provenance) from {@code source}'s repository, as
   * {@code cosign copy} and {@code oras cp -r} carry them: listed through the referrers API or the tag
   * schema, each artifact pulled with its blobs into {@code into}'s store, checked to name
   * {@code subject}, and listed there. Artifacts about the artifacts are not followed. Hold a lease.
   *
   * @return the artifacts pulled (none when the image has none)
   */
  public List<dev.berth.oci.Referrer> pullReferrers(ImageReference source, Digest subject,
      dev.berth.store.StoreReferrers into) throws IOException {
    checkHost(source);
    dev.berth.oci.ReferrersIndex index = referrers(source.repository(), subject);
    ImagePuller puller = new ImagePuller(transport, knownRepositories, parallelism, TransferListener.NONE);
    for (dev.berth.oci.Referrer referrer : index.manifests()) {
      puller.pull(source.withTag(null).withDigest(referrer.digest()), null, into.store());
      Descriptor about = dev.berth.oci.Json.read(into.store().readBlob(referrer.digest()), Subject.class).subject();
      if (about == null || !about.digest().equals(subject)) {
        throw new dev.berth.oci.InvalidContentException("artifact " + referrer.digest() + " listed for "
            + source.repository() + "@" + subject + " on " + host + " is not about it");
      }
      into.add(subject, referrer);
    }
    return index.manifests();
  }

  /** The {@code subject} of an artifact manifest or index. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  private record Subject(@com.fasterxml.jackson.annotation.JsonProperty("subject") Descriptor subject) {}

  /**
   * Pushes the artifacts of {@code index} about {@code subject} from {@code store} to {@code target}'s
   * repository, after the subject itself: by digest, then listed under the subject's referrers tag
   * unless the registry has the referrers API.
   */
  public void pushReferrers(ContentStore store, ImageReference target, Digest subject,
      dev.berth.oci.ReferrersIndex index) throws IOException {
    checkHost(target);
    if (index.manifests().isEmpty()) {
      return;
    }
    if (manifestPuller.head(target.repository(), subject.toString()).isEmpty()) {
      throw new IllegalStateException("cannot attach artifacts to " + target.repository() + "@" + subject
          + ": the registry does not have that manifest yet");
    }
    ImagePusher pusher = new ImagePusher(transport, blobPusher, knownRepositories, parallelism, TransferListener.NONE);
    new RegistryReferrers(transport).push(pusher, store, target, subject, index);
  }

  /** Tells the client that {@code repository} on this registry holds {@code digest}, for mounting. */
  public void rememberBlobLocation(Digest digest, String repository) {
    knownRepositories.put(digest, repository);
  }

  /** Stops the HTTP client's threads and connections; the client cannot be used afterwards. */
  @Override
  public void close() {
    HttpClientShutdown.shutdown(http);
  }

  private void checkHost(ImageReference reference) {
    if (reference.registry() != null && !reference.registry().equals(host)) {
      throw new IllegalArgumentException("reference " + reference + " is not on registry " + host);
    }
  }

  static boolean isLoopback(String host) {
    String name = host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host.replaceFirst(":[0-9]+$", "");
    return name.equals("localhost") || name.equals("::1") || name.matches("127(\\.[0-9]{1,3}){3}");
  }

  /** Builds a {@link RegistryClient}; only the host is required. */
  public static final class Builder {
    private static final List<Path> CERTS_D_ROOTS = List.of(Path.of("/etc/containers/certs.d"),
        Path.of("/etc/docker/certs.d"));

    private String host;
    private Optional<Credentials> credentials = Optional.empty();
    private boolean insecure;
    private final List<Path> certDirs = new ArrayList<>();
    private List<Path> certsDRoots = CERTS_D_ROOTS;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private int parallelism = 4;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private long monolithicLimit = 64L << 20;
    private long chunkSize = 16L << 20;
    private Clock clock = Clock.systemUTC();
    private RegistryProxies proxies;

    private Builder() {}

    /** {@code host[:port]} as it appears in an image reference. */
    public Builder host(String value) {
      this.host = Objects.requireNonNull(value, "host");
      ImageReference.parse(value + "/probe");
      return this;
    }

    public Builder credentials(Credentials value) {
      this.credentials = Optional.ofNullable(value);
      return this;
    }

    public Builder credentials(Optional<Credentials> value) {
      this.credentials = Objects.requireNonNull(value);
      return this;
    }

    /** Allows plain HTTP to a registry that is not on loopback (loopback always may). */
    public Builder insecure(boolean value) {
      this.insecure = value;
      return this;
    }

    /** A directory of extra CA certificates ({@code *.crt}) to trust. */
    public Builder certDir(Path value) {
      this.certDirs.add(Objects.requireNonNull(value));
      return this;
    }

    /** Where to look for {@code HOST:PORT/ca.crt}; default /etc/containers/certs.d and /etc/docker/certs.d. */
    public Builder certsDRoots(List<Path> value) {
      this.certsDRoots = List.copyOf(value);
      return this;
    }

    public Builder retryPolicy(RetryPolicy value) {
      this.retryPolicy = Objects.requireNonNull(value);
      return this;
    }

    /** How many blobs move at once (default 4). */
    public Builder parallelism(int value) {
      if (value < 1 || value > 64) {
        throw new IllegalArgumentException("parallelism must be between 1 and 64, got " + value);
      }
      this.parallelism = value;
      return this;
    }

    /** How long to wait for a response to start (uploads get extra time for their size). */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = Objects.requireNonNull(value);
      return this;
    }

    /** Blobs up to {@code limit} bytes go in one PUT; larger ones in PATCH chunks of {@code chunk}. */
    public Builder uploadSizes(long limit, long chunk) {
      if (limit < 0 || chunk < 1) {
        throw new IllegalArgumentException("upload limit and chunk size must be positive");
      }
      this.monolithicLimit = limit;
      this.chunkSize = chunk;
      return this;
    }

    /** The proxies to go through; default: those the environment names, as docker reads them. */
    public Builder proxies(RegistryProxies value) {
      this.proxies = Objects.requireNonNull(value);
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value);
      return this;
    }

    public RegistryClient build() throws IOException {
      if (host == null) {
        throw new IllegalStateException("a registry client needs a host");
      }
      List<Path> trusted = new ArrayList<>(certDirs);
      trusted.addAll(TrustedCertificates.conventionalDirectories(certsDRoots, host));
      RegistryProxies proxied = proxies != null ? proxies : RegistryProxies.fromEnvironment(System.getenv());
      HttpClient http = HttpClient.newBuilder()
          .proxy(proxied.selector())
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(requestTimeout)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .sslContext(TrustedCertificates.sslContext(trusted))
          .sslParameters(new SSLParameters())
          .build();
      Authenticator authenticator = new Authenticator(host, credentials, http, requestTimeout, clock);
      RegistryTransport transport = new RegistryTransport(host, http, authenticator, retryPolicy,
          insecure || isLoopback(host), requestTimeout, proxied);
      return new RegistryClient(this, http, transport);
    }
  }
}
