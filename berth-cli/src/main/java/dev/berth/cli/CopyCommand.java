package dev.berth.cli;

import dev.berth.api.transfer.ImageEndpoints;
import dev.berth.registry.ImageLocation;
import dev.berth.store.ContentStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth copy SRC DST} between registries, OCI layouts and the local store. */
@Command(name = "copy", description = "Copy an image between docker://, HOST/REPO:TAG, oci:DIR[:TAG] and the store (NAME:TAG).")
final class CopyCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;
  @Mixin RegistryOptions registries;

  @Parameters(index = "0", paramLabel = "SRC")
  String source;

  @Parameters(index = "1", paramLabel = "DST")
  String destination;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Which image of an index (default: this machine's).")
  String platform;

  @Option(names = "--all", description = "Copy every platform of an index.")
  boolean all;

  @Option(names = "--src-creds", paramLabel = "USER:PASSWORD", description = "Credentials for the source registry (default: --creds).")
  String sourceCreds;

  @Option(names = "--dest-creds", paramLabel = "USER:PASSWORD", description = "Credentials for the destination registry (default: --creds).")
  String destinationCreds;

  @Override
  public Integer call() throws Exception {
    ImageLocation from = ImageLocation.parse(source);
    ImageLocation to = ImageLocation.parse(destination);
    // One set of clients unless the sides' credentials differ: a push then mounts blobs the pull saw.
    RegistryOptions sourceRegistries = sourceCreds == null ? registries : registries.withCredentials(sourceCreds);
    RegistryOptions destinationRegistries = destinationCreds == null ? registries
        : registries.withCredentials(destinationCreds);
    try {
      copy(from, to, new ImageEndpoints(global::openStore, sourceRegistries.clients(), destinationRegistries.clients(),
          new TransferLines(System.out)));
    } finally {
      for (RegistryOptions own : new RegistryOptions[] {sourceRegistries, destinationRegistries}) {
        if (own != registries) {
          own.close();
        }
      }
    }
    return ExitCodes.OK;
  }

  private void copy(ImageLocation from, ImageLocation to, ImageEndpoints endpoints) throws Exception {
    ContentStore cache = to instanceof ImageLocation.OciLayoutLocation oci && from instanceof ImageLocation.RegistryLocation
        ? ContentStore.open(oci.directory())
        : endpoints.localStore();
    try (ContentStore.Lease lease = cache.lease()) {
      ImageEndpoints.Source image = endpoints.read(from, RegistryOptions.platform(platform, all), cache);
      endpoints.write(image, to);
      System.out.println("copied " + from + " to " + to + ": " + image.top().digest());
    }
  }
}
