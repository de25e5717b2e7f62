package dev.berth.cli;

import dev.berth.api.transfer.ImageEndpoints;
import dev.berth.oci.ImageReference;
import dev.berth.registry.ImageLocation;
import dev.berth.store.ContentStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth pull REF}: fetch an image from a registry into the local store. */
@Command(name = "pull", description = "Pull an image from a registry into the local store.")
final class PullCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RegistryOptions registries;

  @Parameters(paramLabel = "REF", description = "docker://HOST[:PORT]/REPO[:TAG|@DIGEST] or HOST/REPO[:TAG]")
  String reference;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which image of an index (default: this machine's).")
  String platform;

  @Option(names = "--all", description = "Pull every platform of an index.")
  boolean all;

  @Override
  public Integer call() throws Exception {
    ImageLocation location = ImageLocation.parse(reference);
    if (!(location instanceof ImageLocation.RegistryLocation registry)) {
      throw new UsageException("pull needs a registry reference (HOST/REPO:TAG), got '" + reference + "'");
    }
    ImageReference ref = registry.reference();
    ImageEndpoints endpoints = new ImageEndpoints(global::openStore, registries.clients(), new TransferLines(System.out));
    ContentStore store = endpoints.localStore();
    try (ContentStore.Lease lease = store.lease()) {
      ImageEndpoints.Source pulled = endpoints.read(location, RegistryOptions.platform(platform, all), store);
      String name = ImageEndpoints.storeName(ref);
      store.tag(name, pulled.top());
      System.out.println(name + " " + pulled.top().digest());
    }
    return ExitCodes.OK;
  }
}
