package dev.berth.cli;

import dev.berth.api.transfer.ImageEndpoints;
import dev.berth.registry.ImageLocation;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth push REF [DEST]}: publish an image of the local store to a registry. */
@Command(name = "push", description = "Push an image from the local store to a registry.")
final class PushCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RegistryOptions registries;

  @Parameters(index = "0", paramLabel = "REF",
      description = "HOST/REPO:TAG; the store's image of that name (or of REPO:TAG) is pushed there.")
  String reference;

  @Parameters(index = "1", arity = "0..1", paramLabel = "DEST",
      description = "Push the store's image REF to this registry reference instead.")
  String destination;

  @Override
  public Integer call() throws Exception {
    ImageLocation target = ImageLocation.parse(destination != null ? destination : reference);
    if (!(target instanceof ImageLocation.RegistryLocation registry)) {
      throw new UsageException("push needs a registry reference (HOST/REPO:TAG), got '"
          + (destination != null ? destination : reference) + "'");
    }
    ImageEndpoints endpoints = new ImageEndpoints(global::openStore, registries.clients(), new TransferLines(System.out));
    var source = destination != null
        ? dev.berth.oci.ImageReference.parse(reference.replaceFirst("^docker://", ""))
        : registry.reference();
    dev.berth.oci.Descriptor image = ImageEndpoints.findIn(endpoints.localStore(), source);
    endpoints.write(new ImageEndpoints.Source(endpoints.localStore(), image), target);  // with its SBOM and provenance
    return ExitCodes.OK;
  }
}
