package dev.berth.layer;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ParallelGzipOutputStreamTest {
  static final ExecutorService POOL = Executors.newFixedThreadPool(4);

  @TempDir Path dir;

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  static byte[] input(int size, long seed) {
    Random random = new Random(seed);
    byte[] data = new byte[size];
    for (int i = 0; i < size; i++) {
      data[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + (i / 7) % 20);
    }
    return data;
  }

  static byte[] compress(byte[] data, int threads, int chunk) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gzip = new ParallelGzipOutputStream(out, 6, POOL, threads)) {
      for (int offset = 0; offset < data.length; offset += chunk) {
        gzip.write(data, offset, Math.min(chunk, data.length - offset));
      }
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 131071, 131072, 131073, 1_000_000})
  void roundTripsThroughJavaAndGzip(int size) throws Exception {
    byte[] data = input(size, size);
    byte[] compressed = compress(data, 3, 7919);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    Path file = dir.resolve("x.gz");
    Files.write(file, compressed);
    Process test = new ProcessBuilder("gzip", "-t", file.toString()).redirectErrorStream(true).start();
    assertThat(test.waitFor()).as(new String(test.getInputStream().readAllBytes())).isZero();
  }

  @Test
  void theOutputDoesNotDependOnThreadsOrWriteSizes() throws Exception {
    byte[] data = input(3_000_000, 7);
    byte[] one = compress(data, 1, 4096);
    byte[] four = compress(data, 4, 65536);
    byte[] odd = compress(data, 2, 1);
    assertThat(four).isEqualTo(one);
    assertThat(odd).isEqualTo(one);
    assertThat(one.length).isLessThan(data.length);
  }
}
