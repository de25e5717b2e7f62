package dev.berth.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The tree a command works on and which of its images. */
final class TreeOptions {
  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "TREE",
      description = "A tree of image folders, or one image folder. Default: the current directory.")
  Path tree;

  @Option(names = "--select", paramLabel = "GLOB",
      description = "Only images whose name matches (repeatable), plus the parents they need.")
  List<String> select = new ArrayList<>();

  @Option(names = "--platform", paramLabel = "OS/ARCH",
      description = "Default platform of images that do not name one (default: berth.yaml's, else linux/amd64).")
  String platform;

  @Option(names = "--pull", defaultValue = "missing", paramLabel = "missing|always|never",
      description = {"Bases from a registry: pull when missing (and warn when the stored one is stale),",
          "always (refresh a moved tag; a registry error fails), never (default: ${DEFAULT-VALUE})."})
  String pull;

  @picocli.CommandLine.Mixin RegistryOptions registries;
}
