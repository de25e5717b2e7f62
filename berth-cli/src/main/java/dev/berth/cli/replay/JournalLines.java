package dev.berth.cli.replay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * The transitions a recorded no-op appended to its tree's {@code .berth/journal.log} (each image
 * planned, then cached), written again by a replay under its own run and times, so that the
 * journal holds every run. The lines are the JSON {@code dev.berth.plan.Journal} reads; that class
 * stays the owner of the format (NoOpReplayIT reads replayed lines back through it).
 *
 * @param log the journal file
 */
public record JournalLines(Path log, List<Transition> transitions) {
  /** One line: an image entering {@code state} ({@code planned}, {@code cached}) with its key. */
  public record Transition(String image, String state, String key, String reason) {}

  public JournalLines {
    transitions = List.copyOf(transitions);
  }

  /** Appends the transitions as one write, the run named by its start as a full run names it. */
  void append(Instant run) throws IOException {
    if (transitions.isEmpty()) {
      return;
    }
    StringBuilder lines = new StringBuilder();
    for (Transition transition : transitions) {
      lines.append("{\"image\":").append(quote(transition.image()));
      if (transition.key() != null) {
        lines.append(",\"key\":").append(quote(transition.key()));
      }
      if (transition.reason() != null) {
        lines.append(",\"reason\":").append(quote(transition.reason()));
      }
      lines.append(",\"run\":").append(quote(iso(run))).append(",\"state\":").append(quote(transition.state()))
          .append(",\"time\":").append(quote(iso(Instant.now()))).append("}\n");
    }
    Files.createDirectories(log.getParent());
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }

  /**
   * {@code instant} as ISO-8601 in UTC with nine digits of fraction, as {@link Instant#parse} reads it:
   * written out by hand, because {@link Instant#toString}'s formatter costs a cold JVM 20 ms.
   */
  static String iso(Instant instant) {
    long days = Math.floorDiv(instant.getEpochSecond(), 86400);
    long second = Math.floorMod(instant.getEpochSecond(), 86400);
    // civil date from days since 1970-01-01 (proleptic Gregorian; H. Hinnant's algorithm)
    long z = days + 719468;
    long era = Math.floorDiv(z, 146097);
    long dayOfEra = z - era * 146097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthIndex = (5 * dayOfYear + 2) / 153;
    long day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    StringBuilder out = new StringBuilder(30);
    pad(out, year, 4).append('-');
    pad(out, month, 2).append('-');
    pad(out, day, 2).append('T');
    pad(out, second / 3600, 2).append(':');
    pad(out, second / 60 % 60, 2).append(':');
    pad(out, second % 60, 2).append('.');
    return pad(out, instant.getNano(), 9).append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder out, long value, int digits) {
    String text = Long.toString(value);
    for (int i = text.length(); i < digits; i++) {
      out.append('0');
    }
    return out.append(text);
  }

  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
