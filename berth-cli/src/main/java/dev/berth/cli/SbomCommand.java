package dev.berth.cli;

import dev.berth.oci.Json;
import dev.berth.sbom.SbomFormat;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth sbom REF}: the SBOM attached to an image (registry, oci:DIR or store). */
@Command(name = "sbom", description = "Print the SBOM attached to an image (registry, oci:DIR[:TAG] or store).")
final class SbomCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RegistryOptions registries;

  @Parameters(paramLabel = "REF")
  String reference;

  @Override
  public Integer call() throws Exception {
    AttachedDocument.Found found = AttachedDocument.find(reference, SbomFormat::isSbom, global, registries)
        .orElseThrow(() -> new dev.berth.oci.InvalidContentException(reference + ": no SBOM is attached to this image"));
    SbomFormat.packages(found.bytes(), found.mediaType(), reference + ": SBOM");  // refuses what is not one
    System.out.println(new String(Json.pretty(Json.tree(found.bytes())), StandardCharsets.UTF_8));
    return ExitCodes.OK;
  }
}
