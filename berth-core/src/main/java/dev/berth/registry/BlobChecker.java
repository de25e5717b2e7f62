package dev.berth.registry;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code HEAD /v2/NAME/blobs/DIGEST}: whether the repository already has a blob. */
final class BlobChecker {
  private final RegistryTransport transport;

  BlobChecker(RegistryTransport transport) {
    this.transport = transport;
  }

  boolean exists(String repository, Digest digest, List<String> scopes) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return scopes;
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(BlobPuller.path(repository, digest)))
            .timeout(transport.requestTimeout())
            .method("HEAD", HttpRequest.BodyPublishers.noBody());
      }

      @Override
      public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        return switch (response.statusCode()) {
          case 200 -> true;
          case 404 -> false;
          default -> throw transport.errorFor("HEAD blob " + digest + " in " + repository, response);
        };
      }
    });
  }
}
