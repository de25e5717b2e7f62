package dev.berth.cli.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a run's output may depend on besides the files it reads: berth's own jar (path, size, time),
 * the JVM, the arguments, the working directory, the environment variables berth reads (see
 * {@link #READ}) and whether standard output and error are terminals. Two runs with equal keys and
 * unchanged inputs print the same. The text itself is kept in the recording and compared whole, so
 * the file name's short hash may collide without harm. It never holds a credential: a proxy variable
 * (which may be a URL with a password) is keyed by a hash of its value, and a command line with
 * {@code --creds} is never recorded ({@link Replays}). The fast path runs this class: no lambdas,
 * streams or string concatenation with {@code +} here, each of which costs a cold JVM milliseconds.
 */
public record ReplayKey(String text) {
  /**
   * The environment variables berth reads, or that change what the JVM prints: exactly these are part
   * of the key (every other variable, such as the one hyperfine changes on each run, is not). The
   * names starting with one of {@link #READ_PREFIXES} too, but {@code BERTH_REPLAY}, the switch itself.
   * {@code ReplayKeyTest} fails when berth's sources read a variable not named here.
   */
  static final Set<String> READ = Set.of("HOME", "USER", "PATH", "TMPDIR", "TERM", "COLUMNS", "CI", "SSH_AUTH_SOCK",
      "SOURCE_DATE_EPOCH", "DEBFULLNAME", "DEBEMAIL", "LANG", "TZ", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS",
      "_JAVA_OPTIONS");
  static final List<String> READ_PREFIXES = List.of("BERTH_", "DOCKER_", "XDG_", "LC_");

  /** Whether the variable {@code name} is part of the key. */
  static boolean keyed(String name) {
    if (name.equals("BERTH_REPLAY")) {
      return false;
    }
    for (String prefix : READ_PREFIXES) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return READ.contains(name) || isProxy(name);
  }

  private static boolean isProxy(String name) {
    return name.toUpperCase(java.util.Locale.ROOT).endsWith("_PROXY");
  }

  /** Whether {@code other} is the same key (compared as text, without a record's generated method). */
  boolean sameAs(ReplayKey other) {
    return text.equals(other.text);
  }

  public static ReplayKey of(Path jar, List<String> args, Path workingDirectory, Map<String, String> environment,
      boolean stdoutIsTerminal, boolean stderrIsTerminal) throws IOException {
    BasicFileAttributes code = Files.readAttributes(jar, BasicFileAttributes.class);
    StringBuilder text = new StringBuilder()
        .append("jar ").append(jar).append(' ').append(code.size()).append(' ')
        .append(code.lastModifiedTime().toMillis()).append('\n')
        .append("java ").append(System.getProperty("java.home")).append(' ')
        .append(System.getProperty("java.version")).append('\n')
        .append("cwd ").append(workingDirectory).append('\n')
        .append("tty ").append(stdoutIsTerminal).append(' ').append(stderrIsTerminal).append('\n');
    for (String arg : args) {
      text.append("arg ").append(escape(arg)).append('\n');
    }
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      if (keyed(variable.getKey())) {
        String value = isProxy(variable.getKey()) ? "hash ".concat(hash(variable.getValue())) : variable.getValue();
        text.append("env ").append(escape(variable.getKey())).append('=').append(escape(value)).append('\n');
      }
    }
    return new ReplayKey(text.toString());
  }

  /** A file name for this key: 16 hex digits of a 64-bit FNV-1a hash. */
  public String fileName() {
    return hash(text);
  }

  /** 16 hex digits of the 64-bit FNV-1a hash of {@code value}. */
  private static String hash(String value) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < value.length(); i++) {
      hash ^= value.charAt(i);
      hash *= 0x100000001b3L;
    }
    String hex = Long.toHexString(hash);
    return "0000000000000000".substring(hex.length()).concat(hex);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }
}
