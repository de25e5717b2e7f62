package dev.berth.cli.daemon;

import java.io.IOException;
import java.io.OutputStream;

/** An output stream that handles only runs of bytes: a single byte is written as a run of one. */
abstract class ChunkOutput extends OutputStream {
  @Override
  public final void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public abstract void write(byte[] bytes, int offset, int length) throws IOException;
}
