package dev.berth.cli.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A no-op run as a replay gives it again: its key, the stamp of its inputs, what it printed on
 * standard output and error (interleaved as written), its exit status, and its journal lines.
 */
public record Recording(ReplayKey key, InputStamp inputs, List<Output> output, int exitStatus,
    List<JournalLines> journals) {
  /** Bytes written to standard output, or to standard error, in the order they were written. */
  public record Output(boolean error, byte[] bytes) {}

  private static final String FORMAT = "berth-replay 1";

  public Recording {
    output = List.copyOf(output);
    journals = List.copyOf(journals);
  }

  void write(DataOutputStream out) throws IOException {
    out.writeUTF(FORMAT);
    string(out, key.text());
    out.writeInt(inputs.entries().size());
    for (Watched entry : inputs.entries()) {
      string(out, entry.path());
      out.writeChar(entry.kind());
      out.writeLong(entry.size());
      out.writeInt(entry.mode());
      out.writeLong(entry.inode());
      out.writeLong(entry.modifiedNanos());
      out.writeLong(entry.changedNanos());
    }
    out.writeInt(output.size());
    for (Output chunk : output) {
      out.writeBoolean(chunk.error());
      bytes(out, chunk.bytes());
    }
    out.writeInt(exitStatus);
    out.writeInt(journals.size());
    for (JournalLines journal : journals) {
      string(out, journal.log().toString());
      out.writeInt(journal.transitions().size());
      for (JournalLines.Transition transition : journal.transitions()) {
        string(out, transition.image());
        string(out, transition.state());
        string(out, transition.key());
        string(out, transition.reason());
      }
    }
  }

  /** The recording in {@code in}, or null when it was written by another format or for another key. */
  static Recording read(DataInputStream in, ReplayKey expected) throws IOException {
    if (!in.readUTF().equals(FORMAT)) {
      return null;
    }
    ReplayKey key = new ReplayKey(string(in));
    if (!key.sameAs(expected)) {
      return null;
    }
    int count = in.readInt();
    List<Watched> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(new Watched(string(in), in.readChar(), in.readLong(), in.readInt(), in.readLong(), in.readLong(),
          in.readLong()));
    }
    int chunks = in.readInt();
    List<Output> output = new ArrayList<>(chunks);
    for (int i = 0; i < chunks; i++) {
      output.add(new Output(in.readBoolean(), bytes(in)));
    }
    int exitStatus = in.readInt();
    int journalCount = in.readInt();
    List<JournalLines> journals = new ArrayList<>(journalCount);
    for (int i = 0; i < journalCount; i++) {
      Path log = Path.of(string(in));
      int transitionCount = in.readInt();
      List<JournalLines.Transition> transitions = new ArrayList<>(transitionCount);
      for (int j = 0; j < transitionCount; j++) {
        transitions.add(new JournalLines.Transition(string(in), string(in), string(in), string(in)));
      }
      journals.add(new JournalLines(log, transitions));
    }
    return new Recording(key, new InputStamp(entries), output, exitStatus, journals);
  }

  private static void string(DataOutputStream out, String value) throws IOException {
    bytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] bytes = bytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void bytes(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value == null ? -1 : value.length);
    if (value != null) {
      out.write(value);
    }
  }

  private static byte[] bytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    return length < 0 ? null : in.readNBytes(length);
  }
}
