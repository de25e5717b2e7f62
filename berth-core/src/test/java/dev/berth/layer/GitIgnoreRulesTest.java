package dev.berth.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.text.TextFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expected answers were taken from real git 2.39.5 on the same fixture (built by the shell lines
 * in {@link #fixture}): {@code git -c core.excludesFile=/dev/null ls-files -o -i --exclude-standard}
 * (flytekit's own command) for the files, and {@code git check-ignore -q --no-index DIR} for the
 * directories. Nothing here runs git; the lists below are its recorded output.
 */
@Tag("unit")
class GitIgnoreRulesTest {
  /** git ls-files -o -i --exclude-standard, verbatim. */
  private static final List<String> GIT_IGNORED_FILES = List.of(
      "#hash", "abc/x/y", "docs/a/b/secret.md", "docs/secret.md", "img/!bang", "img/#hash", "img/1x.num",
      "img/Foo.cap", "img/abc.tmp", "img/anchored.txt", "img/app.log", "img/build/out.bin",
      "img/cache/wanted.txt", "img/deep/gen-dir/inner.txt", "img/deep/gen-file", "img/escaped-space ",
      "img/gen-top", "img/local.txt", "img/node_modules/pkg/index.js", "img/sub/deep.txt", "img/sub/local.txt",
      "img/sub/y.bak", "img/trailing-space.txt", "img/y.bak", "top-only.txt");
  /** git ls-files -o --exclude-standard (the files git keeps), verbatim. */
  private static final List<String> GIT_KEPT_FILES = List.of(
      ".gitignore", "abc.txt", "img/.gitignore", "img/a/c.tmp", "img/escaped-space", "img/foo.cap",
      "img/important.log", "img/keep.log", "img/other/sub/deep.txt", "img/plain.txt", "img/sub/.gitignore",
      "img/sub/anchored.txt", "img/sub/x.bak", "img/top-only.txt", "img/x1.num");
  /** git check-ignore -q --no-index on each directory. */
  private static final List<String> GIT_IGNORED_DIRS = List.of(
      "img/build", "img/cache", "abc/x", "img/node_modules", "img/deep/gen-dir");
  private static final List<String> GIT_KEPT_DIRS = List.of("abc", "img/sub", "docs", "docs/a");

  @TempDir Path root;

  /** The fixture, as these shell lines built it for git. */
  private void fixture() throws IOException {
    Files.createDirectories(root.resolve(".git"));
    write(".gitignore", "# comment", "*.log", "!keep.log", "/top-only.txt", "build/", "docs/**/secret.md",
        "\\#hash", "\\!bang", "trailing-space.txt   ", "escaped-space\\ ", "cache/", "!cache/wanted.txt", "abc/**",
        "a?c.tmp", "[0-9]*.num", "[[:upper:]]*.cap", "node_modules", "img/**/gen-*");
    write("img/.gitignore", "local.txt", "!important.log", "/anchored.txt", "sub/deep.txt", "*.bak");
    write("img/sub/.gitignore", "!x.bak");
    for (String dir : Stream.concat(GIT_IGNORED_DIRS.stream(), GIT_KEPT_DIRS.stream()).toList()) {
      Files.createDirectories(root.resolve(dir));
    }
    for (String file : Stream.concat(GIT_IGNORED_FILES.stream(), GIT_KEPT_FILES.stream()).toList()) {
      if (!file.endsWith(".gitignore")) {
        Files.createDirectories(root.resolve(file).getParent());
        Files.writeString(root.resolve(file), "");
      }
    }
  }

  private void write(String path, String... lines) throws IOException {
    Files.createDirectories(root.resolve(path).getParent());
    Files.write(root.resolve(path), List.of(lines));
  }

  @Test
  void fromTheRepositoryRootEveryAnswerIsGits() throws IOException {
    fixture();
    GitIgnoreRules rules = GitIgnoreRules.forFolder(root);
    assertThat(answers(rules, "", GIT_IGNORED_FILES, false)).filteredOn(a -> !a.endsWith("=true")).isEmpty();
    assertThat(answers(rules, "", GIT_KEPT_FILES, false)).filteredOn(a -> !a.endsWith("=false")).isEmpty();
    assertThat(answers(rules, "", GIT_IGNORED_DIRS, true)).filteredOn(a -> !a.endsWith("=true")).isEmpty();
    assertThat(answers(rules, "", GIT_KEPT_DIRS, true)).filteredOn(a -> !a.endsWith("=false")).isEmpty();
  }

  @Test
  void fromASubfolderTheParentsGitignoreCountsUpToTheRepositoryRoot() throws IOException {
    fixture();
    GitIgnoreRules rules = GitIgnoreRules.forFolder(root.resolve("img"));
    assertThat(rules.root()).isEqualTo(root.toAbsolutePath().normalize());
    assertThat(answers(rules, "img/", under("img/", GIT_IGNORED_FILES), false)).filteredOn(a -> !a.endsWith("=true")).isEmpty();
    assertThat(answers(rules, "img/", under("img/", GIT_KEPT_FILES), false)).filteredOn(a -> !a.endsWith("=false")).isEmpty();
    assertThat(answers(rules, "img/", under("img/", GIT_IGNORED_DIRS), true)).filteredOn(a -> !a.endsWith("=true")).isEmpty();
    assertThat(rules.isExcluded("sub", true)).isFalse();
  }

  @Test
  void aReincludeCannotUndoAnExcludedParentDirectory() throws IOException {
    fixture();  // cache/ then !cache/wanted.txt: git still ignores img/cache/wanted.txt
    GitIgnoreRules rules = GitIgnoreRules.forFolder(root.resolve("img"));
    assertThat(rules.isExcluded("cache/wanted.txt", false)).isTrue();
  }

  @Test
  void dotGitIsAlwaysIgnoredAtAnyDepth() throws IOException {
    fixture();
    GitIgnoreRules rules = GitIgnoreRules.forFolder(root);
    assertThat(rules.isExcluded(".git", true)).isTrue();
    assertThat(rules.isExcluded(".git/config", false)).isTrue();
    assertThat(rules.isExcluded("img/vendor/.git", false)).isTrue();
  }

  @Test
  void withoutARepositoryTheFolderIsTheRoot() throws IOException {
    write("lone/.gitignore", "*.tmp");
    GitIgnoreRules rules = GitIgnoreRules.forFolder(root.resolve("lone"));
    assertThat(rules.isExcluded("a.tmp", false)).isTrue();
    assertThat(rules.isExcluded("a.txt", false)).isFalse();
  }

  @Test
  void aSymlinkedGitignoreIsNotRead() throws IOException {
    Files.createDirectories(root.resolve(".git"));
    write("elsewhere", "*.txt");  // git refuses .gitignore symlinks too
    Files.createSymbolicLink(root.resolve(".gitignore"), root.resolve("elsewhere"));
    assertThat(GitIgnoreRules.forFolder(root).isExcluded("a.txt", false)).isFalse();
  }

  @Test
  void aPatternGitCouldNeverMatchIsAnErrorNamingFileAndLine() throws IOException {
    Files.createDirectories(root.resolve(".git"));
    write(".gitignore", "ok", "[unclosed");
    GitIgnoreRules rules = GitIgnoreRules.forFolder(root);
    assertThatThrownBy(() -> rules.isExcluded("x", false))
        .isInstanceOf(TextFileException.class)
        .hasMessage(root.resolve(".gitignore") + ":2: invalid pattern '[unclosed': "
            + "'[' opens a character class that no ']' closes");
    write(".gitignore", "ok", "", "trailing\\");
    assertThatThrownBy(() -> GitIgnoreRules.forFolder(root).isExcluded("x", false))
        .hasMessageStartingWith(root.resolve(".gitignore") + ":3: invalid pattern");
  }

  @Test
  void anUnreadableGitignoreIsAnErrorNamingTheFile() throws IOException {
    Files.createDirectories(root.resolve(".git"));
    Files.write(root.resolve(".gitignore"), new byte[] {'o', 'k', '\n', (byte) 0xff, '\n'});
    assertThatThrownBy(() -> GitIgnoreRules.forFolder(root).isExcluded("x", false))
        .isInstanceOf(TextFileException.class)
        .hasMessageStartingWith(root.resolve(".gitignore") + ":2");
  }

  private static List<String> under(String prefix, List<String> paths) {
    return paths.stream().filter(p -> p.startsWith(prefix)).toList();
  }

  /** "path=answer" for each path (relative to the root), asked relative to the folder {@code prefix}. */
  private static List<String> answers(GitIgnoreRules rules, String prefix, List<String> paths, boolean dirs) {
    List<String> out = new ArrayList<>();
    for (String path : paths) {
      out.add(path + "=" + rules.isExcluded(path.substring(prefix.length()), dirs));
    }
    return out;
  }
}
