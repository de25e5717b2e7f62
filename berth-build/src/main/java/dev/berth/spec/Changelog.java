package dev.berth.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Debian-format {@code changelog} in an image folder, as docker-pkg keeps them: the top entry's
 * version is the image's {@code {version}}; {@link #prepend} adds an entry the way docker-pkg's
 * {@code update} writes one.
 */
public record Changelog(Path file, String packageName, String version) {
  public static final String FILE_NAME = "changelog";
  /**
   * docker-pkg's {@code %a, %e %b %Y %H:%M:%S %z}: the day of the month padded with a space. In a holder,
   * so that reading a changelog does not load the locale data a formatter needs.
   */
  private static final class Dates {
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, ppd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
  }
  private static final Pattern HEADER = Pattern.compile("^([a-z0-9][a-z0-9.+-]*) \\(([^)\\s]+)\\) ([^;]+);.*$");
  /** docker-pkg's {@code %a, %e %b %Y %H:%M:%S %z}: the day of the month padded with a space. */

  /** The folder's changelog, if it has one. */
  public static Optional<Changelog> read(Path folder) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    // only the top entry's header matters: the lines after it are not split (changelogs grow for years)
    java.util.Iterator<String> lines = dev.berth.text.TextFiles.readHead(file).lines().iterator();
    for (int number = 1; lines.hasNext(); number++) {
      String line = lines.next();
      if (line.isBlank()) {
        continue;
      }
      Matcher matcher = HEADER.matcher(line);
      if (!matcher.matches()) {
        throw new SpecException(file, number, "not a Debian changelog entry header: '" + line + "'");
      }
      return Optional.of(new Changelog(file, matcher.group(1), matcher.group(2)));
    }
    throw new SpecException(file, "the changelog is empty");
  }

  /**
   * The version docker-pkg's {@code update} gives an image after {@code version}: {@code 1.2.3} becomes
   * {@code 1.2.3-s1}, {@code 1.2.3-s1} becomes {@code 1.2.3-s2} ({@code s} being config's update_id).
   * Like docker-pkg, only versions of digits, dots and dashes are understood.
   */
  public static String nextVersion(String version, String updateId) {
    String id = updateId == null ? "" : updateId;
    Matcher matcher = Pattern.compile("^([\\d.-]+?)(-" + Pattern.quote(id) + "(\\d+))?$").matcher(version);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("cannot work out the version after '" + version
          + "' (as docker-pkg, only digits, dots and dashes, optionally ending in -" + id + "N); give --version");
    }
    long next = matcher.group(3) == null ? 1 : Long.parseLong(matcher.group(3)) + 1;
    return matcher.group(1) + "-" + id + next;
  }

  /** One new changelog entry; {@code reason} may span lines. */
  public record Entry(String packageName, String version, String distribution, String urgency, String reason,
      String author, ZonedDateTime when) {
    /** The entry as docker-pkg writes it: each reason line indented by three spaces, between blank lines. */
    public String text() {
      StringBuilder out = new StringBuilder();
      out.append(packageName).append(" (").append(version).append(") ").append(distribution)
          .append("; urgency=").append(urgency).append("\n\n");
      for (String line : reason.split("\n", -1)) {
        out.append("   ").append(line).append('\n');
      }
      out.append('\n').append(" -- ").append(author).append("  ").append(Dates.DATE.format(when)).append('\n');
      return out.toString();
    }
  }

  /** Writes {@code entry} on top of the folder's changelog (atomically) and returns the changelog it makes. */
  public static Changelog prepend(Path folder, Entry entry) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    String existing = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    String content = existing.isEmpty() ? entry.text() : entry.text() + "\n" + existing;
    Path temp = file.resolveSibling(FILE_NAME + ".tmp-" + ProcessHandle.current().pid());
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Changelog(file, entry.packageName(), entry.version());
  }

  /**
   * {@code Name <email>} of a new entry, found as docker-pkg finds it: DEBFULLNAME, else git's
   * user.name, else the fallback; DEBEMAIL, else git's user.email (when git answered for the name
   * or DEBFULLNAME was set), else the fallback.
   *
   * @param git the value of a git config key, empty when git has none
   */
  public static String author(Map<String, String> environment, Function<String, Optional<String>> git,
      String fallbackName, String fallbackEmail) {
    String name = fallbackName;
    String email = fallbackEmail;
    boolean gitFailed = false;
    if (environment.containsKey("DEBFULLNAME")) {
      name = environment.get("DEBFULLNAME");
    } else {
      Optional<String> fromGit = git.apply("user.name");
      gitFailed = fromGit.isEmpty();
      name = fromGit.orElse(name);
    }
    if (environment.containsKey("DEBEMAIL")) {
      email = environment.get("DEBEMAIL");
    } else if (!gitFailed) {
      email = git.apply("user.email").orElse(email);
    }
    return name + " <" + email + ">";
  }
}
