package dev.berth.engine;

import dev.berth.oci.Digest;
import dev.berth.spec.StepContent;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The input file of a {@link StepSpec.CopyContent}, kept as a blob of the store so that the key can
 * hash it and the build copy it: a here-document's text (a 0644 file named after its word), or an
 * HTTP(S) download (a 0600 file named as Docker names it).
 *
 * <p>A download with {@code --checksum} already in the store is not fetched again; one without is
 * fetched every time an image is planned and keyed by what came, so a changed file on the server
 * rebuilds the image (as {@code --pull=always} does for a base) and an unchanged one is cached.
 */
final class ContentInputs {
  /** BuildKit's name for a download whose URL and headers name no file (testDockerfileADDFromURL). */
  static final String UNNAMED = "__unnamed__";
  private static final Pattern DISPOSITION_NAME = Pattern.compile("(?i)filename\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");

  private final ContentStore store;
  private HttpClient client;

  ContentInputs(ContentStore store) {
    this.store = store;
  }

  /** What a copy of content reads: a git tree's files, or the one file of a here-document or download. */
  List<InputFile> inputs(StepSpec.CopyContent step) throws IOException {
    return step.content().accept(new StepContent.Visitor<List<InputFile>, IOException>() {
      @Override
      public List<InputFile> text(StepContent.Text text) throws IOException {
        Digest digest = store.writeBlob("application/octet-stream", text.data().getBytes(StandardCharsets.UTF_8))
            .digest();
        return List.of(new InputFile(text.name(), InputFile.Kind.FILE, 0644, digest, null, store.blobPath(digest)));
      }

      @Override
      public List<InputFile> url(StepContent.Url url) throws IOException {
        return List.of(download(step, url));
      }

      @Override
      public List<InputFile> git(StepContent.Git git) throws IOException {
        return checkout(git);
      }
    });
  }

  /** The files of a git source's tree, checked out once per commit under the store. */
  private List<InputFile> checkout(StepContent.Git git) throws IOException {
    return new GitCheckouts(store.root().resolve("berth-git")).files(git);
  }

  /** A download, from the store when its checksum is known and kept there, else fetched. */
  private InputFile download(StepSpec.CopyContent step, StepContent.Url url) throws IOException {
    boolean toDirectory = step.dest().endsWith("/");
    String named = nameFromPath(url.url());
    if (url.checksum() != null) {
      Digest expected = Digest.parse(url.checksum());
      if (store.hasBlob(expected) && (!named.isEmpty() || !toDirectory)) {
        return download(named, expected);
      }
    }
    return fetch(url, toDirectory);
  }

  private InputFile fetch(StepContent.Url url, boolean toDirectory) throws IOException {
    String shown = shown(url.url());
    HttpResponse<InputStream> response;
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url.url())).timeout(Duration.ofMinutes(5)).GET().build();
      response = client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IllegalArgumentException e) {
      throw new BuildException("ADD " + shown + ": not a URL berth can fetch (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("ADD " + shown + " interrupted");
    } catch (IOException e) {
      throw new BuildException("ADD " + shown + ": cannot fetch it: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    try (InputStream body = response.body()) {
      if (response.statusCode() / 100 != 2) {
        throw new BuildException("ADD " + shown + ": the server answered HTTP " + response.statusCode());
      }
      String name = nameFromPath(url.url());
      if (name.isEmpty()) {
        name = response.headers().firstValue("Content-Disposition").map(ContentInputs::nameFromDisposition).orElse("");
      }
      Digest expected = url.checksum() == null ? null : Digest.parse(url.checksum());
      Digest digest;
      try {
        digest = store.writeBlob(body, expected);
      } catch (dev.berth.oci.InvalidContentException e) {
        throw new BuildException("ADD " + shown + ": the content does not match --checksum=" + url.checksum());
      }
      return download(name, digest);
    }
  }

  private InputFile download(String name, Digest digest) {
    if (name.isEmpty()) {  // BuildKit's name, into a directory too (the legacy builder refuses that)
      name = UNNAMED;
    }
    return new InputFile(name, InputFile.Kind.FILE, 0600, digest, null, store.blobPath(digest));
  }

  /** The last element of the URL's path, as Docker names a download; "" when the path names none. */
  static String nameFromPath(String url) {
    String path;
    try {
      path = URI.create(url).getPath();
    } catch (IllegalArgumentException e) {
      return "";
    }
    if (path == null || path.isEmpty() || path.endsWith("/")) {
      return "";
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The {@code filename} of a Content-Disposition header, its last path element; "" when none. */
  static String nameFromDisposition(String header) {
    Matcher matcher = DISPOSITION_NAME.matcher(header);
    if (!matcher.find()) {
      return "";
    }
    String name = matcher.group(2) != null ? matcher.group(2) : matcher.group(1);
    if (name.endsWith("/")) {
      return "";
    }
    name = name.substring(name.lastIndexOf('/') + 1);
    return name.equals(".") || name.equals("..") ? "" : name;
  }

  /** The URL without credentials, for messages. */
  static String shown(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getRawUserInfo() == null) {
        return url;
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null)
          .toString();
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      return url.replaceAll("//[^/@]*@", "//");
    }
  }

  private synchronized HttpClient client() {
    if (client == null) {
      client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(30)).build();
    }
    return client;
  }
}
