package dev.berth.cli;

import dev.berth.plan.TreeBuild;
import java.nio.file.Files;

/** How images are checked after they are built. */
final class Verifiers {
  private Verifiers() {}

  /** Passes images that have no checks; an image with checks fails, since nothing here can run them. */
  static TreeBuild.Verifier unavailable() {
    return (spec, image) -> {
      boolean hasTestScript = Files.isRegularFile(spec.folder().resolve("test.sh"));
      if (!spec.verify().isEmpty() || hasTestScript) {
        throw new IllegalStateException("the image has checks, and this berth has no runtime to run them");
      }
    };
  }
}
