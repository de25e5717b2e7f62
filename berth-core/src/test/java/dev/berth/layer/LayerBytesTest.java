package dev.berth.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.store.ContentStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The exact bytes of layers: digests recorded with the layer writer as it was before any speed work
 * (commit 556d513), so a faster tar writer, hash path or compressor setting that changes a single
 * byte fails here. The tree has files spanning several gzip blocks, long and non-ASCII names (PAX
 * headers), symlinks, hard links, devices, whiteouts and explicit modes and owners.
 */
@Tag("unit")
class LayerBytesTest {
  @TempDir Path dir;

  private Path tree() throws IOException {
    Path root = Files.createDirectories(dir.resolve("tree"));
    Random random = new Random(42);
    for (int i = 0; i < 40; i++) {
      Path folder = Files.createDirectories(root.resolve("pkg" + (i % 5)));
      byte[] body = new byte[random.nextInt(i == 7 ? 900_000 : 20_000)];
      for (int b = 0; b < body.length; b++) {
        body[b] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : 'a' + (b / 11) % 23);
      }
      Path file = folder.resolve("f" + i + ".py");
      Files.write(file, body);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(i % 3 == 0 ? "rwxr-xr-x" : "rw-r--r--"));
    }
    Path deep = Files.createDirectories(root.resolve("a-rather-long-directory-name-".repeat(3) + "/and-deeper"));
    Files.writeString(deep.resolve("file-whose-full-path-is-longer-than-one-hundred-bytes.txt"), "long\n");
    Files.writeString(root.resolve("naïve-ünïcödé.txt"), "ü\n", StandardCharsets.UTF_8);
    Files.createSymbolicLink(root.resolve("link"), Path.of("pkg0/f0.py"));
    Files.createDirectories(root.resolve("empty"));
    Files.setPosixFilePermissions(root.resolve("empty"), PosixFilePermissions.fromString("rwx------"));
    Files.write(root.resolve("zero"), new byte[0]);
    Files.setPosixFilePermissions(root.resolve("zero"), PosixFilePermissions.fromString("rw-------"));
    for (Path path : Files.walk(root).toList()) {
      if (Files.isDirectory(path) && !path.endsWith("empty")) {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    return root;
  }

  private LayerBuilder builder(Compression compression, Path root) throws IOException {
    return new LayerBuilder(compression, 1_700_000_000L)
        .addTree(root, "/srv/app", EntryAttributes.DEFAULT, IgnoreRules.parse(java.util.List.of("pkg4/f9.py")))
        .addTree(root.resolve("pkg1"), "/opt/owned", new EntryAttributes(1000, 1000, null), IgnoreRules.NONE)
        .addFile(root.resolve("pkg2/f2.py"), "/usr/bin/tool", new EntryAttributes(0, 0, 04755))
        .addHardLink("/usr/bin/tool-again", "/usr/bin/tool")
        .addSymlink("/etc/alternatives/x", "/usr/bin/tool", EntryAttributes.DEFAULT)
        .addDeviceNode("/dev/null", 'c', 1, 3, EntryAttributes.DEFAULT)
        .addWhiteout("/var/cache/old")
        .addOpaqueDirectory("/tmp", new EntryAttributes(0, 0, 01777));
  }

  @ParameterizedTest
  @CsvSource({
      "GZIP, sha256:29199f746a5bda5ad4669ec30bdb19b72a0438f0875eead8783da80341d08c66",
      "ZSTD, sha256:c097475db62288dc65e79e9da9d28422ee2f106382b4c1867b004f9b41521892",
      "NONE, sha256:3f1defee8f313698aee94997f757056970bc338863ee32ebef9723b63858185b"})
  void aLayerIsTheSameBytesAsBeforeAnySpeedWork(Compression compression, String digest) throws Exception {
    Path root = tree();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LayerBlob blob = builder(compression, root).writeTo(bytes);
    assertThat(blob.diffId().toString()).isEqualTo("sha256:3f1defee8f313698aee94997f757056970bc338863ee32ebef9723b63858185b");
    assertThat(blob.descriptor().digest().toString()).isEqualTo(digest);
    assertThat(blob.descriptor().size()).isEqualTo(bytes.size());

    LayerBlob stored = builder(compression, root).writeTo(ContentStore.open(dir.resolve("store")));
    assertThat(stored).isEqualTo(blob);
  }

  @ParameterizedTest
  @CsvSource({"GZIP", "ZSTD"})
  void writesInAnySizeGiveTheSameCompressedBytes(Compression compression) throws Exception {
    byte[] data = Files.readAllBytes(tree().resolve("pkg2/f7.py"));
    assertThat(compressInChunks(compression, data, 1)).isEqualTo(compressInChunks(compression, data, 65_536))
        .isEqualTo(compressInChunks(compression, data, 7919));
  }

  private static byte[] compressInChunks(Compression compression, byte[] data, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream compressed = LayerStreams.compress(out, compression)) {
      for (int offset = 0; offset < data.length; offset += chunk) {
        compressed.write(data, offset, Math.min(chunk, data.length - offset));
      }
    }
    return out.toByteArray();
  }
}
