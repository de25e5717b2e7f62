package dev.berth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What berth knows of the terminal its progress goes to: whether stderr is one (not whether the
 * process has a console: stdout or stdin may be a terminal while stderr goes to a file), whether it
 * can take a live display, and how wide it is.
 */
record Terminal(boolean stderrIsTerminal, boolean dumb, int width) {
  static final int DEFAULT_WIDTH = 80;

  /** The terminal of this process: stderr as Linux shows it in /proc, TERM, CI, COLUMNS or stty's size. */
  static Terminal detect(Map<String, String> environment) {
    boolean terminal = isTerminal(Path.of("/proc/self/fd/2"));
    boolean dumb = "dumb".equals(environment.get("TERM")) || environment.get("CI") != null;
    Integer columns = positive(environment.get("COLUMNS"));
    return new Terminal(terminal, dumb, terminal ? width(environment) : columns != null ? columns : DEFAULT_WIDTH);
  }

  /** Whether a live display may be drawn: stderr is a terminal that is not dumb, and this is not CI. */
  boolean live() {
    return stderrIsTerminal && !dumb;
  }

  /** Whether {@code descriptor} (a /proc/self/fd entry) is a terminal device: /dev/pts/N or /dev/ttyN. */
  static boolean isTerminal(Path descriptor) {
    try {
      String target = Files.readSymbolicLink(descriptor).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;  // no /proc (not Linux) or no such descriptor: not a terminal we can draw on
    }
  }

  /** COLUMNS when it is a positive number, else what {@code stty size} says of /dev/tty, else 80. */
  static int width(Map<String, String> environment) {
    Integer columns = positive(environment.get("COLUMNS"));
    if (columns != null) {
      return columns;
    }
    Integer stty = sttyColumns();
    return stty != null ? stty : DEFAULT_WIDTH;
  }

  private static Integer sttyColumns() {
    File tty = new File("/dev/tty");
    if (!tty.canRead()) {
      return null;
    }
    try {
      Process process = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(2, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return null;
      }
      String[] rowsColumns = out.split(" ");
      return rowsColumns.length == 2 ? positive(rowsColumns[1]) : null;
    } catch (IOException e) {
      return null;  // no stty: the default width
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static Integer positive(String text) {
    if (text == null || !text.matches("[0-9]{1,5}")) {
      return null;
    }
    int value = Integer.parseInt(text);
    return value > 0 ? value : null;
  }

  /** {@code line} cut to {@code width} columns (the last one an ellipsis when cut), so it never wraps. */
  static String cut(String line, int width) {
    if (line.codePointCount(0, line.length()) <= width) {
      return line;
    }
    int end = line.offsetByCodePoints(0, Math.max(0, width - 1));
    return line.substring(0, end) + "…";
  }
}
