package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import dev.berth.store.BlobSink;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code GET /v2/NAME/blobs/DIGEST} streamed into the store: hashed while it arrives, checked
 * against the descriptor's digest and size, and stored only when both match.
 */
final class BlobPuller {
  private static final int BUFFER = 1 << 16;

  private final RegistryTransport transport;

  BlobPuller(RegistryTransport transport) {
    this.transport = transport;
  }

  static String path(String repository, Digest digest) {
    return "/v2/" + repository + "/blobs/" + digest;
  }

  /** Streams {@code blob} into {@code store}, its bytes reported to {@code progress} as they arrive. */
  void pull(String repository, Descriptor blob, ContentStore store, ThrottledProgress progress) throws IOException {
    transport.execute(new Exchange<Void>() {
      @Override
      public List<String> scopes() {
        return Scopes.pull(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(path(repository, blob.digest())))
            .timeout(transport.requestTimeout())
            .GET();
      }

      @Override
      public Void handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 404) {
          throw new RegistryException("blob " + blob.digest() + " of " + repository + " not found on "
              + transport.host(), 404);
        }
        if (response.statusCode() != 200) {
          throw transport.errorFor("GET blob " + blob.digest() + " of " + repository, response);
        }
        progress.start();
        try (BlobSink sink = store.newBlob()) {
          copyAtMost(response.body(), sink, blob.size(), progress);
          if (sink.size() != blob.size()) {
            throw new java.io.EOFException("blob " + blob.digest() + " from " + transport.host() + " ended after "
                + sink.size() + " of " + blob.size() + " bytes");
          }
          try {
            sink.commit(blob.digest());
          } catch (InvalidContentException e) {
            throw new InvalidContentException("blob " + blob.digest() + " of " + repository + " from "
                + transport.host() + " has the wrong digest; the blob was not stored");
          }
        }
        progress.finish();
        return null;
      }
    });
  }

  /** A small blob (a config) read into memory, verified against its descriptor. */
  byte[] read(String repository, Descriptor blob, int maxBytes) throws IOException {
    if (blob.size() > maxBytes) {
      throw new InvalidContentException("blob " + blob.digest() + " is " + blob.size()
          + " bytes, more than the " + maxBytes + " read into memory");
    }
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.pull(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(path(repository, blob.digest())))
            .timeout(transport.requestTimeout())
            .GET();
      }

      @Override
      public byte[] handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() != 200) {
          throw transport.errorFor("GET blob " + blob.digest() + " of " + repository, response);
        }
        byte[] bytes = response.body().readNBytes((int) blob.size() + 1);
        if (bytes.length != blob.size() || !Digest.sha256(bytes).equals(blob.digest())) {
          throw new InvalidContentException("blob " + blob.digest() + " of " + repository + " from "
              + transport.host() + " does not match its descriptor");
        }
        return bytes;
      }
    });
  }

  private void copyAtMost(InputStream in, BlobSink sink, long limit, ThrottledProgress progress) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      total += n;
      if (total > limit) {
        throw new InvalidContentException("blob from " + transport.host() + " is larger than the "
            + limit + " bytes its descriptor says; nothing was stored");
      }
      sink.write(buffer, 0, n);
      progress.at(total);
    }
  }
}
