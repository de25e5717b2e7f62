package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.runtime.Reaper;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth store ls|fsck|gc}: look after the local content store. */
@Command(name = "store", description = "List, check or clean the local content store.",
    subcommands = {StoreCommand.Ls.class, StoreCommand.Fsck.class, StoreCommand.Gc.class})
final class StoreCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say ls, fsck or gc");
  }

  @Command(name = "ls", description = "List the named images in the store.")
  static final class Ls implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Override
    public Integer call() throws IOException {
      ContentStore store = global.openStore();
      for (Descriptor named : store.references()) {
        if (dev.berth.store.StoreReferrers.isReferrersName(named.annotations().get(Descriptor.REF_NAME))) {
          continue;  // the SBOMs and provenance of images: berth sbom / berth provenance show them
        }
        System.out.printf("%-60s %s %d%n", named.annotations().get(Descriptor.REF_NAME),
            named.digest(), named.size());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "fsck", description = "Re-hash every blob; report corrupt and missing ones.")
  static final class Fsck implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = "--output", defaultValue = "text", description = "text or json")
    String output;

    @Override
    public Integer call() throws IOException {
      ContentStore.FsckReport report = global.openStore().fsck();
      if (output.equals("json")) {
        System.out.println(new String(Json.pretty(report), java.nio.charset.StandardCharsets.UTF_8));
      } else {
        report.corrupt().forEach(d -> System.out.println("corrupt: " + d));
        report.missing().forEach(m -> System.out.println("missing: " + m.digest() + " (reached from " + m.name() + ")"));
        System.out.println(report.clean()
            ? "ok: " + report.checked() + " blobs checked, all intact"
            : "bad: " + report.corrupt().size() + " corrupt, " + report.missing().size() + " missing, "
                + report.checked() + " blobs checked");
      }
      return report.clean() ? ExitCodes.OK : ExitCodes.FAILED;
    }
  }

  @Command(name = "gc", description = "Delete blobs that no named image reaches.")
  static final class Gc implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Override
    public Integer call() throws IOException {
      ContentStore store = global.openStore();
      Reaper.reap(store.root(), "runc");
      ContentStore.GcReport report = store.gc();
      System.out.printf("removed %d blobs, freed %d bytes%n", report.removed().size(), report.bytesFreed());
      return ExitCodes.OK;
    }
  }
}
