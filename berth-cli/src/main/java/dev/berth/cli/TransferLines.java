package dev.berth.cli;

import dev.berth.api.transfer.ImageEndpoints;
import dev.berth.oci.ImageReference;
import dev.berth.registry.PullResult;
import dev.berth.registry.PushResult;
import java.io.PrintStream;
import java.time.Duration;

/** pull, push and copy's lines about what each registry transfer did. */
final class TransferLines implements ImageEndpoints.Transfers {
  private final PrintStream out;

  TransferLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public void pulled(ImageReference reference, PullResult result) {
    out.printf("pulled %s: %d blobs downloaded, %d already present%n", reference,
        result.downloaded().size(), result.skipped().size());
  }

  @Override
  public void pushed(ImageReference target, PushResult result, Duration took) {
    out.printf("pushed %s@%s in %.3f s: %s%n", target.withDigest(null), result.pushed().digest(), took.toNanos() / 1e9,
        result.upToDate()
        ? "already up to date"
        : result.uploaded().size() + " blobs uploaded, " + result.mounted().size() + " mounted, "
            + result.skipped().size() + " already present");
  }

  @Override
  public void loaded(java.util.List<String> names) {
    names.forEach(name -> out.println("loaded " + name + " into the engine"));
  }
}
