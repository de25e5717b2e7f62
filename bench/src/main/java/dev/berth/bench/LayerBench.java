package dev.berth.bench;

import dev.berth.layer.Compression;
import dev.berth.layer.EntryAttributes;
import dev.berth.layer.IgnoreRules;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerBuilder;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one layer of a directory to a file, as berth's build does, and prints seconds and MB/s of
 * input: {@code java -cp benchmarks.jar dev.berth.bench.LayerBench DIR gzip|zstd OUT}.
 */
public final class LayerBench {
  private LayerBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Compression compression = Compression.parse(args[1]);
    Path out = Path.of(args[2]);
    long inputBytes;
    try (var walk = Files.walk(dir)) {
      inputBytes = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    long start = System.nanoTime();
    LayerBlob blob;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
      blob = new LayerBuilder(compression, 0).addTree(dir, "/data", EntryAttributes.DEFAULT, IgnoreRules.NONE)
          .writeTo(file);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("berth %s: %.2f s, %.1f MB/s of input, %d -> %d bytes, diffID %s%n", args[1], seconds,
        inputBytes / 1e6 / seconds, inputBytes, blob.descriptor().size(), blob.diffId());
  }
}
