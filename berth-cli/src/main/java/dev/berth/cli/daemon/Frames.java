package dev.berth.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a client and the resident process say to each other over the socket. The client sends its
 * identity ({@link DaemonAddress#identity}) and its arguments; the process answers {@link #BUSY} or
 * {@link #STRANGER} at once (the client then runs the command itself), or with the command's output
 * as frames, {@link #OUT} and {@link #ERR} in the order written, and last {@link #EXIT} with the status.
 */
final class Frames {
  static final byte OUT = 1;
  static final byte ERR = 2;
  static final byte EXIT = 3;
  /** Another command is running in the process: output is global to a JVM, so it runs one at a time. */
  static final byte BUSY = 4;
  /** The process was started for another jar, JVM, working directory or environment. */
  static final byte STRANGER = 5;

  private Frames() {}

  static void writeRequest(DataOutputStream out, String identity, String[] args) throws IOException {
    text(out, identity);
    out.writeInt(args.length);
    for (String arg : args) {
      text(out, arg);
    }
    out.flush();
  }

  static String readIdentity(DataInputStream in) throws IOException {
    return text(in);
  }

  static String[] readArguments(DataInputStream in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > 100_000) {
      throw new IOException("not a berth request");
    }
    List<String> args = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      args.add(text(in));
    }
    return args.toArray(new String[0]);
  }

  private static void text(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String text(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 16 << 20) {
      throw new IOException("not a berth request");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** A stream that sends what is written to it as frames of {@code kind} on {@code out}, shared by both kinds. */
  static OutputStream framing(byte kind, DataOutputStream out) {
    return new ChunkOutput() {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
          return;
        }
        synchronized (out) {
          out.writeByte(kind);
          out.writeInt(length);
          out.write(bytes, offset, length);
        }
      }

      @Override
      public void flush() throws IOException {
        synchronized (out) {
          out.flush();
        }
      }
    };
  }

  /** A command's output to a Java client: {@link #OUT} and {@link #ERR} frames, then {@link #EXIT}. */
  static DaemonServer.Reply reply(DataOutputStream out) {
    return new DaemonServer.Reply() {
      @Override
      public OutputStream out() {
        return framing(OUT, out);
      }

      @Override
      public OutputStream err() {
        return framing(ERR, out);
      }

      @Override
      public void exit(int status) throws IOException {
        writeExit(out, status);
      }
    };
  }

  static void writeExit(DataOutputStream out, int status) throws IOException {
    synchronized (out) {
      out.writeByte(EXIT);
      out.writeInt(status);
      out.flush();
    }
  }

  static void writeRefusal(DataOutputStream out, byte kind) throws IOException {
    out.writeByte(kind);
    out.flush();
  }
}
