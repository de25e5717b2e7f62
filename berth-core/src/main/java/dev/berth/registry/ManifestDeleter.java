package dev.berth.registry;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code DELETE /v2/NAME/manifests/DIGEST}: removes a manifest and every tag naming it. */
final class ManifestDeleter {
  private final RegistryTransport transport;

  ManifestDeleter(RegistryTransport transport) {
    this.transport = transport;
  }

  /** Whether the registry deleted it (or it was gone already); false when the registry does not delete. */
  boolean delete(String repository, Digest digest) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.delete(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(ManifestPuller.path(repository, digest.toString())))
            .timeout(transport.requestTimeout()).DELETE();
      }

      @Override
      public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        int status = response.statusCode();
        if (status == 202 || status == 200 || status == 404) {
          response.body().close();
          return true;
        }
        if (status == 405) {  // distribution answers UNSUPPORTED unless storage.delete.enabled
          response.body().close();
          return false;
        }
        throw transport.errorFor("DELETE manifest " + repository + "@" + digest, response);
      }
    });
  }
}
