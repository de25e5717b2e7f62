package dev.berth.cli.replay;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Standard output and error as a run writes them, passed on unchanged and kept (up to {@value #LIMIT}
 * bytes; a run that prints more is not recorded) in the order they were written.
 */
public final class OutputCapture implements AutoCloseable {
  static final int LIMIT = 8 << 20;

  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final List<Recording.Output> chunks = new ArrayList<>();
  private final ByteArrayOutputStream current = new ByteArrayOutputStream();
  private boolean currentError;
  private long total;
  private boolean overflowed;

  /** Starts capturing: System.out and System.err are replaced until {@link #close}. */
  static OutputCapture start() {
    OutputCapture capture = new OutputCapture();
    System.setOut(capture.stream(false, capture.originalOut, "sun.stdout.encoding"));
    System.setErr(capture.stream(true, capture.originalErr, "sun.stderr.encoding"));
    return capture;
  }

  /** What was written, or null when it was more than {@value #LIMIT} bytes. */
  synchronized List<Recording.Output> output() {
    System.out.flush();
    System.err.flush();
    if (overflowed) {
      return null;
    }
    List<Recording.Output> all = new ArrayList<>(chunks);
    if (current.size() > 0) {
      all.add(new Recording.Output(currentError, current.toByteArray()));
    }
    return all;
  }

  @Override
  public void close() {
    System.out.flush();
    System.err.flush();
    System.setOut(originalOut);
    System.setErr(originalErr);
  }

  private synchronized void keep(boolean error, byte[] bytes, int offset, int length) {
    if (overflowed || length == 0) {
      return;
    }
    total += length;
    if (total > LIMIT) {
      overflowed = true;
      chunks.clear();
      current.reset();
      return;
    }
    if (error != currentError && current.size() > 0) {
      chunks.add(new Recording.Output(currentError, current.toByteArray()));
      current.reset();
    }
    currentError = error;
    current.write(bytes, offset, length);
  }

  private PrintStream stream(boolean error, PrintStream original, String encodingProperty) {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] bytes, int offset, int length) {
        original.write(bytes, offset, length);
        keep(error, bytes, offset, length);
      }

      @Override
      public void flush() {
        original.flush();
      }
    };
    String encoding = System.getProperty(encodingProperty, Charset.defaultCharset().name());
    try {
      return new PrintStream(tee, true, encoding);
    } catch (UnsupportedEncodingException e) {
      return new PrintStream(tee, true, Charset.defaultCharset());
    }
  }
}
