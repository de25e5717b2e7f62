package dev.berth.bench;

import dev.berth.layer.Compression;
import dev.berth.layer.EntryAttributes;
import dev.berth.layer.IgnoreRules;
import dev.berth.layer.LayerBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** Layer throughput on a generated 64 MB tree of mixed files, per compression. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class LayerWriteBenchmark {
  @Param({"gzip", "zstd"})
  public String compression;

  private Path dir;

  @Setup(Level.Trial)
  public void generate() throws IOException {
    dir = Files.createTempDirectory("berth-jmh");
    Random random = new Random(1);
    byte[] text = "the quick brown fox jumps over the lazy dog 0123456789\n".repeat(40).getBytes();
    for (int i = 0; i < 2000; i++) {
      Path file = dir.resolve("d" + (i % 40)).resolve("f" + i + ".txt");
      Files.createDirectories(file.getParent());
      Files.write(file, text);
    }
    for (int i = 0; i < 8; i++) {
      byte[] blob = new byte[7 << 20];
      random.nextBytes(blob);
      for (int j = 0; j < blob.length; j += 2) {
        blob[j] = 'x';
      }
      Files.write(dir.resolve("big" + i + ".bin"), blob);
    }
  }

  @TearDown(Level.Trial)
  public void remove() throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Benchmark
  public Object writeLayer() throws IOException {
    return new LayerBuilder(Compression.parse(compression), 0)
        .addTree(dir, "/data", EntryAttributes.DEFAULT, IgnoreRules.NONE)
        .writeTo(OutputStream.nullOutputStream());
  }
}
