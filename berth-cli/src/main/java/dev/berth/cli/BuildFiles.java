package dev.berth.cli;

import dev.berth.oci.Json;
import dev.berth.plan.BuildMetadata;
import dev.berth.plan.TreeBuild;
import dev.berth.store.ContentStore;
import dev.berth.text.OutputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --metadata-file} and {@code --iidfile} of build and publish, as buildx writes them. */
final class BuildFiles {
  @Option(names = "--metadata-file", paramLabel = "FILE",
      description = "Write each image's name, key, manifest and config digests, platform and pushed references (JSON, buildx's keys).")
  Path metadataFile;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image ID (its config digest) of the one selected image.")
  Path iidFile;

  private OutputFile metadata;
  private OutputFile iid;

  /** Checks, before anything is built, that the files can be written where asked. */
  void check() throws IOException {
    metadata = metadataFile == null ? null : OutputFile.checked(metadataFile, "metadata file");
    iid = iidFile == null ? null : OutputFile.checked(iidFile, "image ID file");
  }

  /** Whether no file is asked for. */
  boolean none() {
    return metadataFile == null && iidFile == null;
  }

  /** Checks that an image ID file names one image. */
  void checkImages(List<String> requested) {
    if (iid != null && requested.size() != 1) {
      throw new UsageException("--iidfile writes one image's ID; --select exactly one (the tree has "
          + requested.size() + " selected)");
    }
  }

  void write(TreeBuild.RunResult result, List<String> requested, ContentStore store) throws IOException {
    if (metadata == null && iid == null) {
      return;
    }
    Map<String, BuildMetadata.Entry> entries = BuildMetadata.of(result, requested, store);
    if (metadata != null) {
      metadata.write(Json.pretty(BuildMetadata.document(entries)));
    }
    if (iid != null && entries.size() == 1) {
      iid.write(entries.values().iterator().next().configDigest().getBytes(StandardCharsets.UTF_8));
    }
  }
}
