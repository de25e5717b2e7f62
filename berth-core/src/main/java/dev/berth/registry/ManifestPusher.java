package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** {@code PUT /v2/NAME/manifests/REFERENCE}: publishes a manifest or index under a tag or digest. */
final class ManifestPusher {
  private final RegistryTransport transport;

  ManifestPusher(RegistryTransport transport) {
    this.transport = transport;
  }

  void put(String repository, String reference, Descriptor manifest, byte[] bytes) throws IOException {
    transport.execute(new Exchange<Void>() {
      @Override
      public List<String> scopes() {
        return Scopes.push(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(ManifestPuller.path(repository, reference)))
            .timeout(transport.requestTimeout())
            .header("Content-Type", manifest.mediaType())
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
      }

      @Override
      public Void handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() != 201 && response.statusCode() != 200) {
          throw transport.errorFor("PUT manifest " + repository + ":" + reference, response);
        }
        Optional<Digest> stored = response.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
        if (stored.isPresent() && !stored.get().equals(manifest.digest())) {
          throw new InvalidContentException("registry " + transport.host() + " stored manifest "
              + repository + ":" + reference + " as " + stored.get() + ", expected " + manifest.digest());
        }
        return null;
      }
    });
  }
}
