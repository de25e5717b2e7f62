package dev.berth.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/** Local tar archives as Docker's ADD sees them: plain or compressed, told by their first bytes. */
public final class TarArchives {
  private TarArchives() {}

  /** The compressions Docker 20.10 looks through, told by their first bytes (zstd is not one of them). */
  public static final List<String> COMPRESSIONS = List.of(CompressorStreamFactory.GZIP, CompressorStreamFactory.BZIP2,
      CompressorStreamFactory.XZ);

  /** The archive's tar stream: decompressed when it starts as one of {@link #COMPRESSIONS}. */
  public static InputStream open(Path archive) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
    try {
      String format = CompressorStreamFactory.detect(raw);
      if (COMPRESSIONS.contains(format)) {
        return new CompressorStreamFactory().createCompressorInputStream(format, raw);
      }
    } catch (CompressorException notCompressed) {
      // a plain tar, or not an archive at all
    }
    return raw;
  }

  /** Whether {@code file} is a tar archive (after decompression), as ADD decides whether to extract it. */
  public static boolean isArchive(Path file) {
    try (InputStream in = open(file)) {
      byte[] header = in.readNBytes(512);
      return header.length == 512 && validChecksum(header);
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  /** A tar header's checksum field agrees with its bytes (the field itself counted as spaces). */
  private static boolean validChecksum(byte[] header) {
    String field = new String(header, 148, 8, java.nio.charset.StandardCharsets.US_ASCII).replace('\0', ' ').strip();
    if (field.isEmpty() || !field.matches("[0-7]+")) {
      return false;
    }
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
    }
    return sum == Long.parseLong(field, 8);
  }
}
