package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.layer.LayerStreams;
import dev.berth.oci.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The parts of an image the parity corpus compares, read from a berth store or a {@code docker save} archive. */
final class CorpusImages {
  private CorpusImages() {}

  /** Config fields compared (times, history and layer ids are not). */
  static final String[] CONFIG_FIELDS = {"Env", "Entrypoint", "Cmd", "User", "WorkingDir", "ExposedPorts", "Labels",
      "Volumes", "StopSignal", "Healthcheck", "OnBuild", "Shell"};

  /** Files (path → description) and config (field → JSON) of one image. */
  record Image(Map<String, String> files, Map<String, String> config) {}

  /** Every image a {@code docker save} archive holds, by its first repo tag. */
  static Map<String, Image> fromDockerSave(Path archive) throws IOException {
    Map<String, byte[]> members = new HashMap<>();
    Map<String, String> links = new HashMap<>();  // docker save links a layer two images share to one copy
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null; entry = tar.getNextTarEntry()) {
        if (entry.isSymbolicLink()) {
          String directory = entry.getName().contains("/") ? entry.getName().substring(0, entry.getName().lastIndexOf('/')) : "";
          links.put(entry.getName(), Path.of(directory).resolve(entry.getLinkName()).normalize().toString());
        } else if (entry.isFile()) {
          members.put(entry.getName(), tar.readAllBytes());
        }
      }
    }
    links.forEach((name, target) -> members.put(name, members.get(target)));
    Map<String, Image> out = new TreeMap<>();
    Map<String, RootfsTree.Layer> read = new HashMap<>();  // a layer many images share is read once
    for (JsonNode image : Json.tree(members.get("manifest.json"))) {
      RootfsTree tree = new RootfsTree();
      for (JsonNode layer : image.get("Layers")) {
        String name = links.getOrDefault(layer.asText(), layer.asText());
        if (!read.containsKey(name)) {
          read.put(name, RootfsTree.read(new ByteArrayInputStream(members.get(name))));
        }
        tree.apply(read.get(name));
      }
      Image described = new Image(tree.describe(), config(Json.tree(members.get(image.get("Config").asText()))));
      for (JsonNode tag : image.path("RepoTags")) {
        out.put(tag.asText(), described);
      }
    }
    return out;
  }

  /** Every image named in a berth store's index, by its name without the tag. */
  static Map<String, Image> fromStore(Path store) throws IOException {
    Map<String, Image> out = new TreeMap<>();
    Map<String, RootfsTree.Layer> read = new HashMap<>();  // a layer many images share is read once
    JsonNode index = Json.tree(Files.readAllBytes(store.resolve("index.json")));
    for (JsonNode descriptor : index.path("manifests")) {
      String ref = descriptor.path("annotations").path("org.opencontainers.image.ref.name").asText();
      JsonNode manifest = Json.tree(blob(store, descriptor.get("digest").asText()));
      if (!manifest.has("config") || ref.isEmpty()) {
        continue;  // an index, or an untagged entry
      }
      RootfsTree tree = new RootfsTree();
      for (JsonNode layer : manifest.path("layers")) {
        String digest = layer.get("digest").asText();
        if (!read.containsKey(digest)) {
          try (InputStream in = LayerStreams.decompress(Files.newInputStream(blobPath(store, digest)),
              layer.get("mediaType").asText())) {
            read.put(digest, RootfsTree.read(in));
          }
        }
        tree.apply(read.get(digest));
      }
      JsonNode config = Json.tree(blob(store, manifest.get("config").get("digest").asText()));
      out.put(ref.substring(0, ref.lastIndexOf(':')), new Image(tree.describe(), config(config)));
    }
    return out;
  }

  /** The compared fields; a missing field, null and "" count as the same, as do an empty list or map. */
  static Map<String, String> config(JsonNode image) {
    JsonNode config = image.path("config");
    Map<String, String> out = new TreeMap<>();
    for (String field : CONFIG_FIELDS) {
      JsonNode value = config.path(field);
      if (!value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.asText().isEmpty())
          && !(value.isContainerNode() && value.isEmpty())) {
        out.put(field, sorted(value));
      }
    }
    String author = image.path("author").asText("");
    if (!author.isEmpty()) {
      out.put("Author", author);
    }
    return out;
  }

  private static byte[] blob(Path store, String digest) throws IOException {
    return Files.readAllBytes(blobPath(store, digest));
  }

  private static Path blobPath(Path store, String digest) {
    String[] parts = digest.split(":", 2);
    return store.resolve("blobs").resolve(parts[0]).resolve(parts[1]);
  }

  /** Sorted keys, so that two configs differing only in key order print the same. */
  static String sorted(JsonNode node) {
    if (node instanceof ObjectNode object) {
      StringBuilder out = new StringBuilder("{");
      Map<String, JsonNode> fields = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        var field = it.next();
        fields.put(field.getKey(), field.getValue());
      }
      fields.forEach((key, value) -> out.append(out.length() > 1 ? "," : "").append('"').append(key).append("\":")
          .append(sorted(value)));
      return out.append('}').toString();
    }
    return node.toString();
  }
}
