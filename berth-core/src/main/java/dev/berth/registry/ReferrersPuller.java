package dev.berth.registry;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.ReferrersIndex;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v2/NAME/referrers/DIGEST}, OCI distribution 1.1's referrers API: the artifacts that name
 * a manifest as their subject. Empty when the registry lacks the API (it answers 404), so callers use
 * the referrers tag schema instead.
 */
final class ReferrersPuller {
  private static final int MAX_INDEX_BYTES = 4 << 20;

  private final RegistryTransport transport;

  ReferrersPuller(RegistryTransport transport) {
    this.transport = transport;
  }

  Optional<ReferrersIndex> get(String repository, Digest subject) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.pull(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri("/v2/" + repository + "/referrers/" + subject))
            .timeout(transport.requestTimeout())
            .header("Accept", MediaTypes.OCI_INDEX)
            .GET();
      }

      @Override
      public Optional<ReferrersIndex> handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 404) {
          return Optional.empty();
        }
        if (response.statusCode() != 200) {
          throw transport.errorFor("GET referrers of " + repository + "@" + subject, response);
        }
        byte[] bytes = response.body().readNBytes(MAX_INDEX_BYTES + 1);
        if (bytes.length > MAX_INDEX_BYTES) {
          throw new RegistryException("referrers of " + repository + "@" + subject + " on " + transport.host()
              + " are larger than " + MAX_INDEX_BYTES + " bytes", 200);
        }
        return Optional.of(ReferrersIndex.parse(bytes));
      }
    });
  }
}
