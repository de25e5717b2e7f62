package dev.berth.store;

import dev.berth.oci.Digest;
import dev.berth.oci.InvalidContentException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * A blob being written into the store: bytes go to a temporary file while their sha256 is computed;
 * {@link #commit} fsyncs, checks the digest and moves the file into place atomically. Closing a sink
 * that was not committed deletes the temporary file, so a failed write leaves nothing behind.
 */
public final class BlobSink extends FilterOutputStream {
  private final ContentStore store;
  private final Path temp;
  private final FileChannel channel;
  private final MessageDigest sha256;
  private long size;
  private boolean finished;

  BlobSink(ContentStore store, Path temp) throws IOException {
    this(store, temp, FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW),
        Digest.newSha256());
  }

  private BlobSink(ContentStore store, Path temp, FileChannel channel, MessageDigest sha256) {
    super(new DigestOutputStream(java.nio.channels.Channels.newOutputStream(channel), sha256));
    this.store = store;
    this.temp = temp;
    this.channel = channel;
    this.sha256 = sha256;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (IOException e) {
      throw failed(e);
    }
    size++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
    size += len;
  }

  /** A write failed: the partial file goes at once (freeing what it held when the disk is full). */
  private IOException failed(IOException e) {
    try {
      close();
    } catch (IOException suppressed) {
      e.addSuppressed(suppressed);
    }
    return StoreFullException.translate(e, store.root(), "a blob");
  }

  public long size() {
    return size;
  }

  /**
   * Makes the blob durable and visible under its digest. When {@code expected} is given and the
   * content does not match it, nothing is stored and {@link InvalidContentException} is thrown.
   */
  public Digest commit(Digest expected) throws IOException {
    if (finished) {
      throw new IllegalStateException("blob already committed or aborted");
    }
    try {
      out.flush();
      channel.force(true);
    } catch (IOException e) {
      throw failed(e);
    }
    channel.close();
    finished = true;
    Digest actual = Digest.fromHash("sha256", sha256.digest());
    if (expected != null && !expected.equals(actual)) {
      Files.deleteIfExists(temp);
      throw new InvalidContentException("content digest mismatch: expected " + expected + ", got " + actual);
    }
    try {
      store.moveIntoPlace(temp, actual);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw StoreFullException.translate(e, store.root(), "blob " + actual);
    }
    return actual;
  }

  /** Deletes the temporary file unless the blob was committed. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      finished = true;
      channel.close();
      Files.deleteIfExists(temp);
    }
  }
}
