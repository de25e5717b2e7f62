package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v2/NAME/tags/list}, following the {@code Link} header page by page. */
final class TagLister {
  private static final int MAX_BYTES = 4 << 20;
  private final RegistryTransport transport;

  TagLister(RegistryTransport transport) {
    this.transport = transport;
  }

  /** The repository's tags; empty when the repository does not exist. */
  List<String> list(String repository) throws IOException {
    List<String> tags = new ArrayList<>();
    String next = "/v2/" + repository + "/tags/list";
    while (next != null) {
      Page page = page(repository, next);
      tags.addAll(page.tags());
      next = page.next();
    }
    return tags;
  }

  private record Page(List<String> tags, String next) {}

  private Page page(String repository, String path) throws IOException {
    return transport.execute(new Exchange<>() {
      @Override
      public List<String> scopes() {
        return Scopes.pull(repository);
      }

      @Override
      public HttpRequest.Builder request(int attempt) throws IOException {
        return HttpRequest.newBuilder(transport.uri(path)).timeout(transport.requestTimeout()).GET();
      }

      @Override
      public Page handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 404) {
          response.body().close();
          return new Page(List.of(), null);
        }
        if (response.statusCode() != 200) {
          throw transport.errorFor("GET tags " + repository, response);
        }
        byte[] body;
        try (InputStream in = response.body()) {
          body = in.readNBytes(MAX_BYTES);
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode tag : Json.tree(body).path("tags")) {
          tags.add(tag.asText());
        }
        return new Page(tags, response.headers().firstValue("Link").map(TagLister::linkPath).orElse(null));
      }
    });
  }

  /** {@code </v2/NAME/tags/list?n=…&last=…>; rel="next"}: the path between the angle brackets. */
  static String linkPath(String link) {
    int open = link.indexOf('<');
    int close = link.indexOf('>', open + 1);
    return open < 0 || close < 0 ? null : link.substring(open + 1, close);
  }
}
