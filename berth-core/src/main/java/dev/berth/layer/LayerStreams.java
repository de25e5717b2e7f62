package dev.berth.layer;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Compressing and decompressing layer streams. */
public final class LayerStreams {
  private LayerStreams() {}

  public static OutputStream compress(OutputStream out, Compression compression) throws IOException {
    return switch (compression) {
      case GZIP -> new GZIPOutputStream(out, 1 << 16);
      case ZSTD -> new ZstdOutputStream(out, 3);
      case NONE -> out;
    };
  }

  public static InputStream decompress(InputStream in, String mediaType) throws IOException {
    return switch (Compression.ofMediaType(mediaType)) {
      case GZIP -> new GZIPInputStream(in, 1 << 16);
      case ZSTD -> new ZstdInputStream(in);
      case NONE -> in;
    };
  }
}
