package dev.berth.dockerfile;

import dev.berth.oci.ImageConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D]
 * [--start-interval=D] [--retries=N] CMD command}, read as BuildKit's and Docker's builders read it:
 * durations in Go's syntax ({@code 1m30s}), at least 1ms unless 0; shell form becomes
 * {@code CMD-SHELL}. No variables are substituted in it, as in Docker.
 */
final class HealthcheckInstruction {
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)");
  private static final long MILLISECOND = 1_000_000L;

  private HealthcheckInstruction() {}

  static ImageConfig.Healthcheck parse(Instruction instruction) {
    String text = instruction.text().strip();
    String[] split = text.split("\\s+", 2);
    String type = split[0].toUpperCase(Locale.ROOT);
    String rest = split.length > 1 ? split[1].strip() : "";
    Map<String, String> flags = instruction.flags();
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw new IllegalArgumentException("HEALTHCHECK NONE takes no arguments");
      }
      return new ImageConfig.Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0);
    }
    if (!type.equals("CMD")) {
      throw new IllegalArgumentException("unknown type '" + split[0] + "' in HEALTHCHECK (try CMD)");
    }
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("missing command after HEALTHCHECK CMD");
    }
    List<String> test = new ArrayList<>();
    if (rest.startsWith("[")) {
      List<String> exec = DockerfileParser.jsonArrayOrNull(rest);
      if (exec != null) {
        if (exec.isEmpty()) {
          throw new IllegalArgumentException("missing command after HEALTHCHECK CMD");
        }
        test.add("CMD");
        test.addAll(exec);
      }
    }
    if (test.isEmpty()) {
      test.add("CMD-SHELL");
      test.add(rest);
    }
    int retries = 0;
    String retriesFlag = flags.get("retries");
    if (retriesFlag != null && !retriesFlag.isEmpty()) {
      try {
        retries = Integer.parseInt(retriesFlag);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--retries '" + retriesFlag + "' is not a number");
      }
      if (retries < 0) {
        throw new IllegalArgumentException("--retries cannot be negative (" + retries + ")");
      }
    }
    return new ImageConfig.Healthcheck(test, interval(flags, "interval"), interval(flags, "timeout"),
        interval(flags, "start-period"), interval(flags, "start-interval"), retries);
  }

  private static long interval(Map<String, String> flags, String name) {
    String value = flags.get(name);
    if (value == null || value.isEmpty()) {
      return 0;
    }
    long nanos = goDuration(value, name);
    if (nanos != 0 && nanos < MILLISECOND) {
      throw new IllegalArgumentException("--" + name + " cannot be less than 1ms");
    }
    return nanos;
  }

  /** A Go duration ({@code 300ms}, {@code 1.5h}, {@code 2h45m}, {@code 0}) in nanoseconds. */
  static long goDuration(String text, String name) {
    String rest = text;
    boolean negative = rest.startsWith("-");
    if (negative || rest.startsWith("+")) {
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return 0;
    }
    Matcher matcher = DURATION_PART.matcher(rest);
    BigDecimal total = BigDecimal.ZERO;
    int position = 0;
    while (position < rest.length() && matcher.find(position) && matcher.start() == position
        && !matcher.group(1).isEmpty() && !matcher.group(1).equals(".")) {
      BigDecimal unit = switch (matcher.group(2)) {
        case "ns" -> BigDecimal.ONE;
        case "us", "µs", "μs" -> BigDecimal.valueOf(1_000L);
        case "ms" -> BigDecimal.valueOf(MILLISECOND);
        case "s" -> BigDecimal.valueOf(1_000_000_000L);
        case "m" -> BigDecimal.valueOf(60_000_000_000L);
        default -> BigDecimal.valueOf(3_600_000_000_000L);
      };
      total = total.add(new BigDecimal(matcher.group(1)).multiply(unit));
      position = matcher.end();
    }
    if (position == 0 || position != rest.length()) {
      throw new IllegalArgumentException("--" + name + ": invalid duration '" + text + "' (such as 30s, 1m30s)");
    }
    if (negative && total.signum() != 0) {
      throw new IllegalArgumentException("--" + name + " cannot be negative ('" + text + "')");
    }
    return total.longValue();
  }
}
