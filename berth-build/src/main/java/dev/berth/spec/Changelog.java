package dev.berth.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Debian-format {@code changelog} in an image folder, as docker-pkg keeps them: the top entry's
 * version is the image's {@code {version}}; {@link #prepend} adds an entry.
 */
public record Changelog(Path file, String packageName, String version) {
  public static final String FILE_NAME = "changelog";
  private static final Pattern HEADER = Pattern.compile("^([a-z0-9][a-z0-9.+-]*) \\(([^)\\s]+)\\) ([^;]+);.*$");
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT);

  /** The folder's changelog, if it has one. */
  public static Optional<Changelog> read(Path folder) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    // only the top entry's header matters, and real changelogs run to thousands of lines
    try (java.io.BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        Matcher matcher = HEADER.matcher(line);
        if (!matcher.matches()) {
          throw new SpecException(file, number, "not a Debian changelog entry header: '" + line + "'");
        }
        return Optional.of(new Changelog(file, matcher.group(1), matcher.group(2)));
      }
    } catch (java.nio.charset.MalformedInputException e) {
      throw new SpecException(file, "not UTF-8 text");
    }
    throw new SpecException(file, "the changelog is empty");
  }

  /** The next version after {@code version}: its last number plus one (1.0-3 → 1.0-4, 2.1 → 2.2). */
  public static String bump(String version) {
    Matcher matcher = Pattern.compile("(\\d+)(\\D*)$").matcher(version);
    if (!matcher.find()) {
      return version + "-1";
    }
    long next = Long.parseLong(matcher.group(1)) + 1;
    return version.substring(0, matcher.start(1)) + next + matcher.group(2);
  }

  /** Writes a new top entry (atomically) and returns the changelog it makes. */
  public static Changelog prepend(Path folder, String packageName, String version, String reason, String maintainer,
      ZonedDateTime when) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    String existing = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    String entry = packageName + " (" + version + ") unstable; urgency=medium\n\n"
        + "  * " + reason.strip().replace("\n", "\n    ") + "\n\n"
        + " -- " + maintainer + "  " + RFC_2822.format(when) + "\n";
    String content = existing.isEmpty() ? entry : entry + "\n" + existing;
    Path temp = file.resolveSibling(FILE_NAME + ".tmp-" + ProcessHandle.current().pid());
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new Changelog(file, packageName, version);
  }
}
