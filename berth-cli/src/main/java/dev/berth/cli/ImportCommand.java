package dev.berth.cli;

import dev.berth.engine.BuildSettings;
import dev.berth.engine.RootfsImport;
import dev.berth.layer.Compression;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth import ROOTFS.tar --as NAME:TAG}. */
@Command(name = "import", description = "Make a one-layer base image from a root file system tarball.")
final class ImportCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "ROOTFS.tar", description = "An uncompressed tar of a root file system.")
  Path tarball;

  @Option(names = "--as", required = true, paramLabel = "NAME:TAG", description = "The name to give it in the store.")
  String name;

  @Option(names = "--platform", defaultValue = "linux/amd64", description = "The image's platform (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(names = "--compression", defaultValue = "gzip", description = "gzip, zstd or none (default: ${DEFAULT-VALUE}).")
  String compression;

  @Option(names = "--snapshot", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also unpack the layer for RUN steps now, as docker import does (default: yes, when root).")
  boolean snapshot;

  @Override
  public Integer call() throws Exception {
    ImageReference reference = ImageReference.parse(name);
    if (reference.digest() != null) {
      throw new UsageException("--as takes NAME:TAG, not a digest");
    }
    ContentStore store = global.openStore();
    try (ContentStore.Lease lease = store.lease()) {
      Descriptor manifest = RootfsImport.importTarball(store, tarball, reference.toString().contains(":")
              ? reference.toString() : reference.localName(), Platform.parse(platform),
          BuildSettings.fromEnvironment(System.getenv(), Compression.parse(compression)));
      if (snapshot && "root".equals(System.getProperty("user.name"))) {
        var image = dev.berth.oci.ImageManifest.parse(store.readBlob(manifest.digest()));
        var config = dev.berth.oci.ImageConfig.parse(store.readBlob(image.config().digest()));
        new dev.berth.runtime.SnapshotStore(store).snapshot(
            new dev.berth.layer.LayerBlob(image.layers().get(0), config.rootfs().diffIds().get(0)));
      }
      System.out.println(reference.toString().contains(":") ? reference : reference.localName());
      System.out.println(manifest.digest());
    }
    return ExitCodes.OK;
  }
}
