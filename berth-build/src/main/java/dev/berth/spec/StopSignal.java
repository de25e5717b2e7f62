package dev.berth.spec;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** A container's stop signal as Docker accepts it: a Linux signal name (with or without SIG) or number. */
public final class StopSignal {
  private static final Set<String> NAMES = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP",
      "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS",
      "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ");
  private static final Pattern REALTIME = Pattern.compile("RTMIN(\\+([0-9]|1[0-5]))?|RTMAX(-([0-9]|1[0-5]))?");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,2}");

  private StopSignal() {}

  /** Whether Docker would accept {@code signal} as STOPSIGNAL. */
  public static boolean isValid(String signal) {
    if (signal == null) {
      return false;
    }
    if (NUMBER.matcher(signal).matches()) {
      int number = Integer.parseInt(signal);
      return number >= 1 && number <= 64;
    }
    String upper = signal.toUpperCase(Locale.ROOT);
    String name = upper.startsWith("SIG") ? upper.substring(3) : upper;
    return NAMES.contains(name) || REALTIME.matcher(name).matches();
  }

  /** The error for an invalid {@code signal}. */
  public static String problem(String signal) {
    return "invalid stop signal '" + signal + "': a signal name such as SIGTERM or SIGQUIT, or a number 1-64";
  }
}
