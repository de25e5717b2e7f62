package dev.berth.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A here-document of RUN, COPY or ADD (BuildKit, dockerfile syntax 1.4 and later): {@code <<WORD}
 * on the instruction's line, its content the following lines up to a line that is exactly
 * {@code WORD}. {@code <<-WORD} strips leading tabs (of the terminator too); a quoted word
 * ({@code <<"EOF"}, {@code <<'EOF'}) means the content is not expanded.
 *
 * @param name the terminator word, without quotes
 * @param content every line up to the terminator, each with its newline
 */
public record Heredoc(String name, String content, boolean chomp, boolean expand) {
  private static final Pattern WORD = Pattern.compile("^[0-9]*<<(-?)\\s*([^<]*)$");

  /** Keywords whose lines may open here-documents (ONBUILD: through its trigger). */
  static final List<String> KEYWORDS = List.of("RUN", "COPY", "ADD");

  /** The content as the instruction uses it: with leading tabs removed for {@code <<-}. */
  public String data() {
    return chomp ? content.replaceAll("(?m)^\t+", "") : content;
  }

  /** An unfinished heredoc: its word as found on the instruction's line. */
  record Opening(String name, boolean chomp, boolean expand) {}

  /** The heredoc openings among the words of {@code line}, in order. */
  static List<Opening> openings(String line) {
    List<Opening> out = new ArrayList<>();
    for (String word : line.trim().split("\\s+")) {
      Opening opening = opening(word);
      if (opening != null) {
        out.add(opening);
      }
    }
    return out;
  }

  /** {@code word} as an opening ({@code <<EOF}, {@code <<-"EOF"}), or null. */
  static Opening opening(String word) {
    Matcher matcher = WORD.matcher(word);
    if (!matcher.matches() || matcher.group(2).isEmpty()) {
      return null;
    }
    String raw = matcher.group(2);
    String name = raw.replace("\"", "").replace("'", "");
    if (name.isEmpty()) {
      return null;
    }
    return new Opening(name, !matcher.group(1).isEmpty(), name.equals(raw));
  }
}
