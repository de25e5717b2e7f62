package dev.berth.dockerfile;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as BuildKit's tmpfs {@code size} reads them: bytes, or a number with k, m, g (powers of 1024), b optional. */
final class Sizes {
  private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(?:i?b)?");

  private Sizes() {}

  static long bytes(String value) {
    Matcher matcher = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException("invalid size '" + value + "': bytes, or a number with k, m or g");
    }
    int power = "kmgt".indexOf(matcher.group(2).isEmpty() ? "-" : matcher.group(2)) + 1;
    return (long) (Double.parseDouble(matcher.group(1)) * Math.pow(1024, power));
  }
}
