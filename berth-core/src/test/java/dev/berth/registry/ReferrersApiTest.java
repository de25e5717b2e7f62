package dev.berth.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.oci.ArtifactManifest;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Referrer;
import dev.berth.oci.ReferrersIndex;
import dev.berth.store.ContentStore;
import dev.berth.store.StoreReferrers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's use of the OCI 1.1 referrers API ({@code GET /v2/NAME/referrers/DIGEST}). No registry
 * that has the API can be installed here (Debian's docker-registry 2.8 answers 404, which
 * {@link ReferrersRegistryTest} covers), so this is a unit test over the endpoint logic, against an
 * in-process server that answers the API as the distribution spec describes: listing comes from the
 * API and never from the {@code sha256-<hex>} tag, pulled artifacts are checked against their subject,
 * and a push leaves the tag alone.
 */
@Tag("unit")
class ReferrersApiTest {
  private static final String REPO = "team/app";

  @TempDir Path temp;

  private HttpServer server;
  private final Map<String, Content> manifests = new ConcurrentHashMap<>();
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> referrers = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private record Content(String mediaType, byte[] bytes) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    requests.add(method + " " + path);
    String prefix = "/v2/" + REPO + "/";
    try (exchange) {
      if (path.equals("/v2/")) {
        respond(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), null);
      } else if (path.startsWith(prefix + "referrers/")) {
        byte[] index = referrers.get(path.substring((prefix + "referrers/").length()));
        respond(exchange, 200, MediaTypes.OCI_INDEX, index != null ? index : ReferrersIndex.empty().toJson(), null);
      } else if (path.startsWith(prefix + "manifests/")) {
        String reference = path.substring((prefix + "manifests/").length());
        if (method.equals("PUT")) {
          byte[] body = exchange.getRequestBody().readAllBytes();
          Content content = new Content(exchange.getRequestHeaders().getFirst("Content-Type"), body);
          manifests.put(reference, content);
          manifests.put(Digest.sha256(body).toString(), content);
          exchange.getResponseHeaders().add("Location", prefix + "manifests/" + Digest.sha256(body));
          respond(exchange, 201, null, new byte[0], Digest.sha256(body));
          return;
        }
        Content content = manifests.get(reference);
        if (content == null) {
          respond(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"
              .getBytes(StandardCharsets.UTF_8), null);
        } else {
          respond(exchange, 200, content.mediaType(), content.bytes(), Digest.sha256(content.bytes()));
        }
      } else if (path.startsWith(prefix + "blobs/") && blobs.containsKey(path.substring((prefix + "blobs/").length()))) {
        byte[] blob = blobs.get(path.substring((prefix + "blobs/").length()));
        respond(exchange, 200, "application/octet-stream", blob, Digest.sha256(blob));
      } else {
        respond(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}"
            .getBytes(StandardCharsets.UTF_8), null);
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, byte[] body, Digest digest)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    if (digest != null) {
      exchange.getResponseHeaders().add("Docker-Content-Digest", digest.toString());
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (head) {
      exchange.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
    }
    exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** An image manifest served by the registry, and an SBOM artifact in a store that names {@code about}. */
  private record Fixture(Descriptor image, Descriptor artifact, Referrer referrer, byte[] sbom) {}

  /** Serves an empty image (tag {@code 1}) and writes an SBOM artifact into {@code store}, about {@code subject} or, when null, about that image. */
  private Fixture fixture(ContentStore store, Digest subject) throws IOException {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    blobs.put(Digest.sha256(config).toString(), config);
    byte[] image = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":"
        + config.length + "},\"layers\":[]}").getBytes(StandardCharsets.UTF_8);
    Descriptor imageDescriptor = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(image), image.length);
    manifests.put(imageDescriptor.digest().toString(), new Content(MediaTypes.OCI_MANIFEST, image));
    manifests.put("1", new Content(MediaTypes.OCI_MANIFEST, image));

    byte[] sbom = "{\"spdxVersion\":\"SPDX-2.3\"}".getBytes(StandardCharsets.UTF_8);
    Descriptor sbomBlob = store.writeBlob("application/spdx+json", sbom);
    store.writeBlob(ArtifactManifest.EMPTY_MEDIA_TYPE, ArtifactManifest.EMPTY_CONTENT);
    Descriptor about = new Descriptor(MediaTypes.OCI_MANIFEST, subject == null ? imageDescriptor.digest() : subject,
        image.length);
    Descriptor artifact = store.writeBlob(MediaTypes.OCI_MANIFEST,
        ArtifactManifest.of("application/spdx+json", sbomBlob, about, Map.of()).toJson());
    Referrer referrer = new Referrer(MediaTypes.OCI_MANIFEST, artifact.digest(), artifact.size(),
        "application/spdx+json", Map.of());
    return new Fixture(imageDescriptor, artifact, referrer, sbom);
  }

  /** Puts {@code fixture}'s artifact on the server, listed by the referrers API. */
  private void serve(ContentStore store, Fixture fixture) throws IOException {
    manifests.put(fixture.artifact().digest().toString(),
        new Content(MediaTypes.OCI_MANIFEST, store.readBlob(fixture.artifact().digest())));
    blobs.put(Digest.sha256(fixture.sbom()).toString(), fixture.sbom());
    blobs.put(Digest.sha256(ArtifactManifest.EMPTY_CONTENT).toString(), ArtifactManifest.EMPTY_CONTENT);
    referrers.put(fixture.image().digest().toString(), ReferrersIndex.empty().with(fixture.referrer()).toJson());
  }

  private RegistryClient client() throws IOException {
    return RegistryClient.builder().host(host()).build();
  }

  @Test
  void listingAndPullingUseTheApiAndNeverTheTag() throws Exception {
    ContentStore remote = ContentStore.open(temp.resolve("remote"));
    Fixture fixture = fixture(remote, null);
    serve(remote, fixture);
    String tag = ReferrersIndex.tagFor(fixture.image().digest());

    ContentStore local = ContentStore.open(temp.resolve("local"));
    try (RegistryClient client = client(); ContentStore.Lease lease = local.lease()) {
      assertThat(client.referrers(REPO, fixture.image().digest()).manifests()).containsExactly(fixture.referrer());
      List<Referrer> pulled = client.pullReferrers(ImageReference.parse(host() + "/" + REPO + ":1"),
          fixture.image().digest(), new StoreReferrers(local));
      assertThat(pulled).containsExactly(fixture.referrer());
    }
    assertThat(new StoreReferrers(local).document(fixture.image().digest(), "application/spdx+json"))
        .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(fixture.sbom()));
    assertThat(requests).contains("GET /v2/" + REPO + "/referrers/" + fixture.image().digest())
        .noneMatch(request -> request.endsWith("/manifests/" + tag));
  }

  @Test
  void anArtifactListedForAnotherSubjectIsRefused() throws Exception {
    ContentStore remote = ContentStore.open(temp.resolve("remote"));
    Fixture fixture = fixture(remote, Digest.sha256("some other image".getBytes(StandardCharsets.UTF_8)));
    serve(remote, fixture);
    ContentStore local = ContentStore.open(temp.resolve("local"));
    try (RegistryClient client = client(); ContentStore.Lease lease = local.lease()) {
      assertThatThrownBy(() -> client.pullReferrers(ImageReference.parse(host() + "/" + REPO + ":1"),
          fixture.image().digest(), new StoreReferrers(local)))
          .isInstanceOf(InvalidContentException.class)
          .hasMessage("artifact " + fixture.artifact().digest() + " listed for " + REPO + "@" + fixture.image().digest()
              + " on " + host() + " is not about it");
    }
    assertThat(new StoreReferrers(local).list(fixture.image().digest()).manifests()).isEmpty();
  }

  @Test
  void aPushToARegistryWithTheApiLeavesTheTagAlone() throws Exception {
    ContentStore store = ContentStore.open(temp.resolve("store"));
    Fixture fixture = fixture(store, null);
    // the blobs are already there; the API lists what the registry holds
    blobs.put(Digest.sha256(fixture.sbom()).toString(), fixture.sbom());
    blobs.put(Digest.sha256(ArtifactManifest.EMPTY_CONTENT).toString(), ArtifactManifest.EMPTY_CONTENT);
    ReferrersIndex index = ReferrersIndex.empty().with(fixture.referrer());
    try (RegistryClient client = client()) {
      client.pushReferrers(store, ImageReference.parse(host() + "/" + REPO + ":1"), fixture.image().digest(), index);
    }
    assertThat(requests).contains("PUT /v2/" + REPO + "/manifests/" + fixture.artifact().digest())
        .noneMatch(request -> request.startsWith("PUT") && request.contains("/manifests/sha256-"));
  }
}
