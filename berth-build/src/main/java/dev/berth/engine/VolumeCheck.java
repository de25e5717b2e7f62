package dev.berth.engine;

import dev.berth.dockerfile.DockerfileParser;
import dev.berth.dockerfile.Instruction;
import dev.berth.layer.LayerBlob;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Docker refuses an image whose VOLUME names a path that holds a file (it cannot mount a volume
 * over it); berth refuses it too, naming the VOLUME line of the Dockerfile.
 */
final class VolumeCheck {
  private VolumeCheck() {}

  static void check(ContentStore store, ImageSpec spec, List<LayerBlob> layers) throws IOException {
    List<String> volumes = spec.config() == null || spec.config().volumes() == null ? List.of() : spec.config().volumes();
    if (volumes.isEmpty()) {
      return;
    }
    LowerTree tree = LowerTree.of(store, layers);
    for (String volume : volumes) {
      String path = tree.resolve(volume, true);
      var node = tree.get(path);
      if (node.isPresent() && node.get().type() != 'd') {
        String message = "VOLUME " + volume + ": the image has a file there, and a volume cannot be mounted over a file";
        throw new SpecException(spec.file(), lineOf(spec.file(), volume), message);
      }
    }
  }

  /** The line of the Dockerfile's VOLUME instruction that names {@code volume}; 0 when not found. */
  private static int lineOf(Path file, String volume) {
    try {
      if (file == null || !Files.isRegularFile(file)) {
        return 0;
      }
      for (Instruction instruction : DockerfileParser.parse(file, Files.readString(file)).instructions()) {
        if (instruction.keyword().toUpperCase(Locale.ROOT).equals("VOLUME") && instruction.text().contains(volume)) {
          return instruction.line();
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      return 0;
    }
    return 0;
  }
}
