package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** {@code GET} and {@code HEAD /v2/NAME/manifests/REFERENCE}, verifying what comes back. */
final class ManifestPuller {
  /** Every manifest and index media type berth reads, for the Accept header. */
  static final List<String> ACCEPT_ALL = List.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
      MediaTypes.DOCKER_MANIFEST, MediaTypes.DOCKER_MANIFEST_LIST);
  private static final int MAX_MANIFEST_BYTES = 4 << 20;

  private final RegistryTransport transport;

  ManifestPuller(RegistryTransport transport) {
    this.transport = transport;
  }

  Optional<Descriptor> head(String repository, String reference) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.pull(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(path(repository, reference)))
            .timeout(transport.requestTimeout())
            .header("Accept", String.join(", ", ACCEPT_ALL))
            .method("HEAD", HttpRequest.BodyPublishers.noBody());
      }

      @Override
      public Optional<Descriptor> handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 404) {
          return Optional.empty();
        }
        if (response.statusCode() != 200) {
          throw transport.errorFor("HEAD manifest " + repository + ":" + reference, response);
        }
        Optional<String> digest = response.headers().firstValue("Docker-Content-Digest");
        if (digest.isEmpty()) {
          throw new RegistryException("registry " + transport.host() + " sent no Docker-Content-Digest for "
              + repository + ":" + reference, 200);
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElse(0);
        return Optional.of(new Descriptor(mediaType(response, null), Digest.parse(digest.get()), size));
      }
    });
  }

  ManifestResponse get(String repository, String reference, List<String> accept) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.pull(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(path(repository, reference)))
            .timeout(transport.requestTimeout())
            .header("Accept", String.join(", ", accept))
            .GET();
      }

      @Override
      public ManifestResponse handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 404) {
          throw new RegistryException("manifest " + repository + ":" + reference + " not found on "
              + transport.host(), 404);
        }
        if (response.statusCode() != 200) {
          throw transport.errorFor("GET manifest " + repository + ":" + reference, response);
        }
        byte[] bytes = response.body().readNBytes(MAX_MANIFEST_BYTES + 1);
        if (bytes.length > MAX_MANIFEST_BYTES) {
          throw new InvalidContentException("manifest " + repository + ":" + reference + " on "
              + transport.host() + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Digest actual = Digest.sha256(bytes);
        Optional<Digest> expected = reference.contains(":")
            ? Optional.of(Digest.parse(reference))
            : response.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
        if (expected.isPresent() && !expected.get().equals(actual)) {
          throw new InvalidContentException("manifest " + repository + ":" + reference + " from "
              + transport.host() + " has digest " + actual + ", expected " + expected.get());
        }
        return new ManifestResponse(new Descriptor(mediaType(response, bytes), actual, bytes.length), bytes);
      }
    });
  }

  static String path(String repository, String reference) {
    return "/v2/" + repository + "/manifests/" + reference;
  }

  /** The media type from the document itself, else from Content-Type. */
  private static String mediaType(HttpResponse<InputStream> response, byte[] body) {
    if (body != null) {
      String declared = Json.tree(body).path("mediaType").asText("");
      if (!declared.isEmpty()) {
        return declared;
      }
      if (Json.tree(body).has("manifests")) {
        return MediaTypes.OCI_INDEX;
      }
    }
    String contentType = response.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST);
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }
}
