package dev.berth.layer;

import dev.berth.text.TextFileException;
import dev.berth.text.TextFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Git's ignore rules for the files of one folder, read from the committed {@code .gitignore} files
 * alone (no {@code git} binary): the folder's, its subfolders', and its parents' up to the repository
 * root (the nearest folder holding {@code .git}; without one, the folder itself). Per-clone settings
 * ({@code .git/info/exclude}, {@code core.excludesFile}) are left out so every clone gives the same
 * answer. As {@code git check-ignore --no-index}: a deeper {@code .gitignore} wins over a shallower
 * one, the last matching line of a file wins, and nothing below an ignored directory comes back.
 * {@code .git} itself is always ignored.
 */
public final class GitIgnoreRules {
  private record Rule(Pattern pattern, boolean negated, boolean directoryOnly, boolean basenameOnly) {}

  private final Path root;
  /** The folder relative to {@link #root}, slash-separated; empty when they are the same. */
  private final String prefix;
  /** Rules by directory (relative to the root), read on first use. */
  private final Map<String, List<Rule>> rulesByDirectory = new HashMap<>();
  /** Whether a directory (relative to the root) is ignored, itself or through a parent. */
  private final Map<String, Boolean> ignoredDirectories = new HashMap<>();

  private GitIgnoreRules(Path root, String prefix) {
    this.root = root;
    this.prefix = prefix;
  }

  /** The rules that apply to {@code folder}'s files. */
  public static GitIgnoreRules forFolder(Path folder) {
    Path absolute = folder.toAbsolutePath().normalize();
    Path root = absolute;
    for (Path candidate = absolute; candidate != null; candidate = candidate.getParent()) {
      if (Files.exists(candidate.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
        root = candidate;
        break;
      }
    }
    return new GitIgnoreRules(root, root.relativize(absolute).toString().replace('\\', '/'));
  }

  /** The repository root whose {@code .gitignore} files count. */
  public Path root() {
    return root;
  }

  /** Whether {@code relativePath} (slash-separated, relative to the folder) is ignored. */
  public synchronized boolean isExcluded(String relativePath, boolean directory) {
    String path = prefix.isEmpty() ? relativePath : relativePath.isEmpty() ? prefix : prefix + "/" + relativePath;
    if (path.isEmpty()) {
      return false;
    }
    int slash = path.lastIndexOf('/');
    if (slash > 0 && directoryIgnored(path.substring(0, slash))) {
      return true;
    }
    return matches(path, directory);
  }

  private boolean directoryIgnored(String directory) {
    Boolean known = ignoredDirectories.get(directory);
    if (known == null) {
      int slash = directory.lastIndexOf('/');
      known = (slash > 0 && directoryIgnored(directory.substring(0, slash))) || matches(directory, true);
      ignoredDirectories.put(directory, known);
    }
    return known;
  }

  /** The decision of the deepest {@code .gitignore} with a matching line, its last such line. */
  private boolean matches(String path, boolean directory) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.equals(".git")) {
      return true;
    }
    String directoryOfPath = path.lastIndexOf('/') < 0 ? "" : path.substring(0, path.lastIndexOf('/'));
    for (String dir = directoryOfPath; dir != null; dir = parentOf(dir)) {
      List<Rule> rules = rulesOf(dir);
      String relative = dir.isEmpty() ? path : path.substring(dir.length() + 1);
      for (int i = rules.size() - 1; i >= 0; i--) {
        Rule rule = rules.get(i);
        if (rule.directoryOnly && !directory) {
          continue;
        }
        if (rule.pattern.matcher(rule.basenameOnly ? name : relative).matches()) {
          return !rule.negated;
        }
      }
    }
    return false;
  }

  private static String parentOf(String dir) {
    if (dir.isEmpty()) {
      return null;
    }
    int slash = dir.lastIndexOf('/');
    return slash < 0 ? "" : dir.substring(0, slash);
  }

  private List<Rule> rulesOf(String dir) {
    List<Rule> rules = rulesByDirectory.get(dir);
    if (rules == null) {
      Path file = (dir.isEmpty() ? root : root.resolve(dir)).resolve(".gitignore");
      // git reads no .gitignore that is a symlink; neither does berth
      rules = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? parse(file, TextFiles.readLines(file)) : List.of();
      rulesByDirectory.put(dir, rules);
    }
    return rules;
  }

  /** The lines of one {@code .gitignore}; a pattern git could never match is an error naming its line. */
  static List<Rule> parse(Path source, List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (int number = 1; number <= lines.size(); number++) {
      String line = lines.get(number - 1);
      if (number == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      line = trimTrailingSpaces(line);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = line.startsWith("!");
      if (negated) {
        line = line.substring(1);
      }
      boolean directoryOnly = line.endsWith("/");
      if (directoryOnly) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;  // "!" or "/" alone: git takes no pattern from them
      }
      boolean basenameOnly = !line.contains("/");
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      try {
        rules.add(new Rule(Pattern.compile(GitWildmatch.toRegex(line)), negated, directoryOnly, basenameOnly));
      } catch (IllegalArgumentException e) {
        throw new TextFileException(source, number, "invalid pattern '" + lines.get(number - 1).strip() + "': "
            + e.getMessage());
      }
    }
    return List.copyOf(rules);
  }

  /** Trailing spaces go unless a backslash quotes them, as git trims them. */
  private static String trimTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ') {
      int backslashes = 0;
      for (int i = end - 2; i >= 0 && line.charAt(i) == '\\'; i--) {
        backslashes++;
      }
      if (backslashes % 2 == 1) {
        break;
      }
      end--;
    }
    return line.substring(0, end);
  }
}
