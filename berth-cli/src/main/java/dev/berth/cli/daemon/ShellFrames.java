package dev.berth.cli.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A command's output as the launcher's bash client reads it ({@link ShellDoor}): {@code o N} or
 * {@code e N} and a newline, then N bytes of standard output or error, in the order written; last
 * {@code x STATUS}. The client spends a process ({@code dd}) on each frame, so what one stream
 * writes in a row is sent as one frame: when the other stream writes, at the end, past 64 KiB, and at
 * most {@link #LATENCY_MILLIS} after it was written (a progress line still shows while a push runs).
 */
final class ShellFrames implements DaemonServer.Reply {
  static final long LATENCY_MILLIS = 100;
  private static final int LIMIT = 1 << 16;

  private final OutputStream socket;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private char pendingKind;
  private final Thread flusher;
  private boolean ended;

  ShellFrames(OutputStream socket) {
    this.socket = socket;
    this.flusher = new Thread(this::flushEvery, "berth-resident-output");
    flusher.setDaemon(true);
    flusher.start();
  }

  @Override
  public OutputStream out() {
    return stream('o');
  }

  @Override
  public OutputStream err() {
    return stream('e');
  }

  @Override
  public void exit(int status) throws IOException {
    synchronized (this) {
      ended = true;
      send();
      socket.write(("x " + status + "\n").getBytes(StandardCharsets.US_ASCII));
      socket.flush();
    }
    flusher.interrupt();
  }

  /** Sent as {@code stranger} or {@code busy} before any output: the client runs the command itself. */
  static void refuse(OutputStream socket, String why) throws IOException {
    socket.write((why + "\n").getBytes(StandardCharsets.US_ASCII));
    socket.flush();
  }

  private OutputStream stream(char kind) {
    return new ChunkOutput() {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        synchronized (ShellFrames.this) {
          if (pendingKind != kind) {
            send();
            pendingKind = kind;
          }
          pending.write(bytes, offset, length);
          if (pending.size() >= LIMIT) {
            send();
          }
        }
      }
    };
  }

  /** Sends what is pending as one frame. */
  private void send() throws IOException {
    if (pending.size() == 0) {
      return;
    }
    socket.write((pendingKind + " " + pending.size() + "\n").getBytes(StandardCharsets.US_ASCII));
    pending.writeTo(socket);
    pending.reset();
    socket.flush();
  }

  private void flushEvery() {
    try {
      while (true) {
        Thread.sleep(LATENCY_MILLIS);
        synchronized (this) {
          if (ended) {
            return;
          }
          send();
        }
      }
    } catch (InterruptedException | IOException ended) {
      // the command ended, or the client went away (the command is interrupted by its hang-up)
    }
  }
}
