package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Runs a command in an image with tools independent of berth: umoci unpacks an OCI layout into a
 * runtime bundle, runc runs the command in it (under qemu through binfmt_misc for a foreign image).
 */
final class Bundles {
  private Bundles() {}

  /** Unpacks {@code layout:ref} under {@code work} and runs {@code command} in it; its output, stripped. */
  static String run(Path work, Path layout, String ref, String... command) throws Exception {
    Path bundle = work.resolve("bundle-" + UUID.randomUUID());
    Berth.tool(work, "umoci", "unpack", "--image", layout + ":" + ref, bundle.toString());
    ObjectNode config = (ObjectNode) Json.tree(Files.readAllBytes(bundle.resolve("config.json")));
    ObjectNode process = (ObjectNode) config.get("process");
    process.put("terminal", false);
    process.putArray("args").addAll(List.of(command).stream()
        .map(word -> (JsonNode) config.textNode(word)).toList());
    Files.write(bundle.resolve("config.json"), Json.mapper().writeValueAsBytes(config));
    String container = "berth-it-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      return Berth.tool(bundle, "runc", "run", container).strip();
    } finally {
      new ProcessBuilder("runc", "delete", "--force", container).start().waitFor();
    }
  }

  /** Copies {@code image} of the store out with skopeo, then runs {@code command} in it as {@link #run} does. */
  static String runFromStore(Path work, Path store, String image, String... command) throws Exception {
    Path layout = work.resolve("layout-" + UUID.randomUUID());
    Berth.tool(work, "skopeo", "copy", "oci:" + store + ":" + image, "oci:" + layout + ":x");
    return run(work, layout, "x", command);
  }
}
