package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The mounts under a directory, as the kernel lists them, and their release. */
final class Mounts {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private Mounts() {}

  /** Mount points at or under {@code directory}, deepest first. */
  static List<Path> under(Path directory) throws IOException {
    if (!Files.isReadable(MOUNTINFO)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    for (String line : Files.readAllLines(MOUNTINFO)) {
      String[] fields = line.split(" ");
      if (fields.length > 4) {
        Path point = Path.of(unescape(fields[4]));
        if (point.startsWith(directory)) {
          out.add(point);
        }
      }
    }
    out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return out;
  }

  /** Unmounts everything under {@code directory}; a busy mount is detached lazily. Returns how many. */
  static int release(Path directory) throws IOException {
    List<Path> points = under(directory);
    for (Path point : points) {
      if (!Runc.quietly("umount", point.toString())) {
        Runc.quietly("umount", "-l", point.toString());
      }
    }
    return points.size();
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
