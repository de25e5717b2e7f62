package dev.berth.cli;

import dev.berth.oci.Json;
import dev.berth.sbom.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth provenance REF}: the SLSA provenance attached to an image. */
@Command(name = "provenance", description = "Print the SLSA provenance attached to an image (registry, oci:DIR[:TAG] or store).")
final class ProvenanceCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RegistryOptions registries;

  @Parameters(paramLabel = "REF")
  String reference;

  @Override
  public Integer call() throws Exception {
    AttachedDocument.Found found = AttachedDocument.find(reference, Provenance.MEDIA_TYPE::equals, global, registries)
        .orElseThrow(() -> new dev.berth.oci.InvalidContentException(reference + ": no provenance is attached to this image"));
    Provenance.check(found.bytes(), reference + ": provenance");
    System.out.println(new String(Json.pretty(Json.tree(found.bytes())), StandardCharsets.UTF_8));
    return ExitCodes.OK;
  }
}
