package dev.berth.registry;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Uploads one blob: a cross-repository mount when a source repository is known, else a monolithic
 * {@code PUT} for small blobs, or {@code PATCH} chunks for large ones. A chunk that fails is resumed
 * from the offset the registry reports for the upload session.
 */
final class BlobPusher {
  /** How a blob reached the repository. */
  enum Outcome { UPLOADED, MOUNTED }

  /** The minimum throughput an upload may have before it counts as timed out. */
  private static final long MIN_BYTES_PER_SECOND = 256 * 1024;

  private final RegistryTransport transport;
  private final long monolithicLimit;
  private final long chunkSize;

  BlobPusher(RegistryTransport transport, long monolithicLimit, long chunkSize) {
    this.transport = transport;
    this.monolithicLimit = monolithicLimit;
    this.chunkSize = chunkSize;
  }

  /** Mounts or uploads {@code blob}; an upload's bytes are reported to {@code progress} as they go. */
  Outcome push(String repository, Descriptor blob, Path file, Optional<String> mountFrom, ThrottledProgress progress)
      throws IOException {
    URI location;
    if (mountFrom.isPresent() && !mountFrom.get().equals(repository)) {
      Optional<URI> session = tryMount(repository, blob.digest(), mountFrom.get());
      if (session.isEmpty()) {
        return Outcome.MOUNTED;
      }
      location = session.get();
    } else {
      location = startUpload(repository);
    }
    progress.start();
    if (blob.size() <= monolithicLimit) {
      uploadMonolithic(repository, blob, file, location, progress);
    } else {
      uploadChunked(repository, blob, file, location, progress);
    }
    progress.finish();
    return Outcome.UPLOADED;
  }

  /** Asks for a mount; empty when the registry mounted the blob, else the upload session it opened. */
  private Optional<URI> tryMount(String repository, Digest digest, String from) throws IOException {
    String query = "?mount=" + encode(digest.toString()) + "&from=" + encode(from);
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.mount(repository, from);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(uploadsPath(repository) + query))
            .timeout(transport.requestTimeout())
            .POST(HttpRequest.BodyPublishers.noBody());
      }

      @Override
      public Optional<URI> handle(HttpResponse<InputStream> response) throws IOException {
        return switch (response.statusCode()) {
          case 201 -> Optional.empty();
          case 202 -> Optional.of(location(response));
          default -> throw transport.errorFor("mount of blob " + digest + " into " + repository, response);
        };
      }
    });
  }

  private URI startUpload(String repository) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.push(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(uploadsPath(repository)))
            .timeout(transport.requestTimeout())
            .POST(HttpRequest.BodyPublishers.noBody());
      }

      @Override
      public URI handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() != 202) {
          throw transport.errorFor("starting an upload to " + repository, response);
        }
        return location(response);
      }
    });
  }

  private void uploadMonolithic(String repository, Descriptor blob, Path file, URI firstLocation,
      ThrottledProgress progress) throws IOException {
    URI[] location = {firstLocation};
    transport.execute(new Exchange<Void>() {
      @Override
      public List<String> scopes() {
        return Scopes.push(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        if (attempt > 1) {
          location[0] = startUpload(repository);
        }
        return HttpRequest.newBuilder(withDigest(location[0], blob.digest()))
            .timeout(uploadTimeout(blob.size()))
            .header("Content-Type", "application/octet-stream")
            .PUT(FileRangePublisher.whole(file, blob.size()).reporting(progress::at));
      }

      @Override
      public Void handle(HttpResponse<InputStream> response) throws IOException {
        expectCreated(repository, blob, response);
        return null;
      }
    });
  }

  /**
   * Sends the blob in chunks. When the registry no longer knows the session after a failure
   * (distribution drops it when a chunk arrived only in part), the blob starts over in a new one.
   */
  private void uploadChunked(String repository, Descriptor blob, Path file, URI firstLocation,
      ThrottledProgress progress) throws IOException {
    ChunkedUpload upload = new ChunkedUpload(repository, blob, file, firstLocation, progress);
    int sessions = 1;
    while (upload.offset < blob.size()) {
      try {
        transport.execute(upload);
      } catch (RegistryException e) {
        boolean sessionLost = e.status() == 404 || e.status() == 416;
        if (!sessionLost || !transport.retryPolicy().hasAttemptsLeft(sessions)) {
          throw e;
        }
        sessions++;
        upload = new ChunkedUpload(repository, blob, file, startUpload(repository), progress);
      }
    }
    ChunkedUpload finished = upload;
    transport.execute(new Exchange<Void>() {
      @Override
      public List<String> scopes() {
        return Scopes.push(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(withDigest(finished.location, blob.digest()))
            .timeout(transport.requestTimeout())
            .PUT(HttpRequest.BodyPublishers.noBody());
      }

      @Override
      public Void handle(HttpResponse<InputStream> response) throws IOException {
        expectCreated(repository, blob, response);
        return null;
      }
    });
  }

  /**
   * Sends the next chunk. After a failed attempt the next attempt only asks the session where it
   * stands ({@code GET} the upload URL), so the following chunk starts at the registry's offset.
   */
  private final class ChunkedUpload implements Exchange<Void> {
    private final String repository;
    private final Descriptor blob;
    private final Path file;
    private final ThrottledProgress progress;
    private URI location;
    private long offset;

    ChunkedUpload(String repository, Descriptor blob, Path file, URI location, ThrottledProgress progress) {
      this.repository = repository;
      this.blob = blob;
      this.file = file;
      this.location = location;
      this.progress = progress;
    }

    @Override
    public List<String> scopes() {
      return Scopes.push(repository);
    }

    @Override
    public HttpRequest.Builder request(int attempt) throws IOException {
      if (attempt > 1) {
        return HttpRequest.newBuilder(location).timeout(transport.requestTimeout()).GET();
      }
      long start = offset;
      long length = Math.min(chunkSize, blob.size() - start);
      return HttpRequest.newBuilder(location)
          .timeout(uploadTimeout(length))
          .header("Content-Type", "application/octet-stream")
          .header("Content-Range", start + "-" + (start + length - 1))
          .method("PATCH", FileRangePublisher.range(file, start, length).reporting(progress::at));
    }

    @Override
    public Void handle(HttpResponse<InputStream> response) throws IOException {
      int status = response.statusCode();
      if (status != 202 && status != 204) {
        throw transport.errorFor("upload of blob " + blob.digest() + " to " + repository, response);
      }
      location = location(response);
      offset = response.headers().firstValue("Range").map(BlobPusher::offsetAfter)
          .orElseThrow(() -> new RegistryException("registry " + transport.host()
              + " did not say how much of blob " + blob.digest() + " it has", status));
      return null;
    }
  }

  /** The next offset after a {@code Range: 0-N} header (N inclusive). */
  static long offsetAfter(String range) {
    String value = range.trim();
    if (value.startsWith("bytes=")) {
      value = value.substring("bytes=".length());
    }
    int dash = value.indexOf('-');
    try {
      long end = Long.parseLong(value.substring(dash + 1).trim());
      return end == 0 ? 0 : end + 1;
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("invalid Range header '" + range + "'");
    }
  }

  private void expectCreated(String repository, Descriptor blob, HttpResponse<InputStream> response)
      throws IOException {
    if (response.statusCode() != 201) {
      throw transport.errorFor("upload of blob " + blob.digest() + " to " + repository, response);
    }
  }

  private URI location(HttpResponse<InputStream> response) throws IOException {
    return transport.resolveLocation(response.headers().firstValue("Location").orElse(null));
  }

  private Duration uploadTimeout(long bytes) {
    return transport.requestTimeout().plusSeconds(bytes / MIN_BYTES_PER_SECOND);
  }

  private static URI withDigest(URI location, Digest digest) {
    String text = location.toString();
    return URI.create(text + (text.contains("?") ? "&" : "?") + "digest=" + encode(digest.toString()));
  }

  private static String uploadsPath(String repository) {
    return "/v2/" + repository + "/blobs/uploads/";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
