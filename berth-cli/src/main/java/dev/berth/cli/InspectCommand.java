package dev.berth.cli;

import dev.berth.api.transfer.ImageEndpoints;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.registry.ImageLocation;
import dev.berth.registry.ManifestResponse;
import dev.berth.registry.RegistryClient;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth inspect REF}: the manifest and config of an image, or the raw manifest. */
@Command(name = "inspect", description = "Show an image's manifest and config (registry, oci:DIR or store).")
final class InspectCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RegistryOptions registries;

  @Parameters(paramLabel = "REF")
  String reference;

  @Option(names = "--raw", description = "Print the manifest or index exactly as stored.")
  boolean raw;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which image of an index (default: this machine's).")
  String platform;

  /** Reads manifests and blobs from wherever the image is. */
  private interface Reader {
    byte[] manifest(String reference) throws IOException;

    byte[] blob(Descriptor descriptor) throws IOException;
  }

  @Override
  public Integer call() throws Exception {
    ImageLocation location = ImageLocation.parse(reference);
    Reader reader;
    String top;
    if (location instanceof ImageLocation.RegistryLocation registry) {
      RegistryClient client = registries.clientFor(registry.reference().registry());
      String repository = registry.reference().repository();
      top = registry.reference().manifestReference();
      reader = new Reader() {
        @Override
        public byte[] manifest(String ref) throws IOException {
          ManifestResponse response = client.getManifest(repository, ref);
          return response.bytes();
        }

        @Override
        public byte[] blob(Descriptor descriptor) throws IOException {
          return client.readBlob(repository, descriptor);
        }
      };
    } else {
      ImageEndpoints endpoints = new ImageEndpoints(global::openStore, registries.clients(), new TransferLines(System.out));
      ImageEndpoints.Source source = endpoints.read(location, null, null);
      ContentStore store = source.store();
      top = source.top().digest().toString();
      reader = new Reader() {
        @Override
        public byte[] manifest(String ref) throws IOException {
          return store.readBlob(dev.berth.oci.Digest.parse(ref));
        }

        @Override
        public byte[] blob(Descriptor descriptor) throws IOException {
          return store.readBlob(descriptor.digest());
        }
      };
    }
    byte[] manifestBytes = reader.manifest(top);
    if (raw) {
      System.out.write(manifestBytes);
      System.out.println();
      System.out.flush();
      return ExitCodes.OK;
    }
    String mediaType = Json.tree(manifestBytes).path("mediaType").asText(
        Json.tree(manifestBytes).has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("name", reference);
    if (MediaTypes.isIndex(mediaType)) {
      out.put("indexDigest", dev.berth.oci.Digest.sha256(manifestBytes).toString());
      Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
      Descriptor chosen = ImageIndex.parse(manifestBytes).manifestFor(wanted)
          .orElseThrow(() -> new IOException(reference + " has no image for " + wanted));
      manifestBytes = reader.manifest(chosen.digest().toString());
    }
    ImageManifest manifest = ImageManifest.parse(manifestBytes);
    out.put("digest", dev.berth.oci.Digest.sha256(manifestBytes).toString());
    out.put("mediaType", manifest.effectiveMediaType());
    out.set("manifest", Json.tree(manifestBytes));
    out.set("config", Json.tree(reader.blob(manifest.config())));
    System.out.println(new String(Json.pretty(out), StandardCharsets.UTF_8));
    return ExitCodes.OK;
  }
}
