package dev.berth.cli;

import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options every subcommand takes: where the store is, and whether to show stack traces. */
public final class GlobalOptions {
  @Option(names = "--store", paramLabel = "DIR",
      description = "The local content store (an OCI layout). Default: $BERTH_STORE, else ${XDG_CACHE_HOME:-~/.cache}/berth/store.")
  Path store;

  @Option(names = "--debug", description = "Show stack traces of errors.")
  boolean debug;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  public ContentStore openStore() throws IOException {
    return ContentStore.open(store != null ? store : ContentStore.defaultLocation(System.getenv()));
  }

  static boolean debugRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult current = parsed; current != null; current = current.subcommand()) {
      if (current.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }
}
