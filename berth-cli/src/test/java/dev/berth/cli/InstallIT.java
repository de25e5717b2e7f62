package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/install PREFIX} makes berth a tool: run by name on a clean PATH from another
 * directory, with bash and zsh completion, manual pages and a version naming its commit.
 */
@Tag("integration")
@Tag("runc")
@Tag("git")
class InstallIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path work;

  record Ran(int status, String output) {}

  /** Runs a command in {@code directory} with only PREFIX/bin and the system's directories on PATH. */
  private Ran run(Path directory, Path prefix, String... command) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("/usr/bin/env")); // looks the command up on the clean PATH
    argv.addAll(List.of(command));
    ProcessBuilder builder = new ProcessBuilder(argv).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME", work.toString(), "LANG", "C.UTF-8", "MANWIDTH", "100"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    return new Ran(process.exitValue(), output);
  }

  private Ran ok(Path directory, Path prefix, String... command) throws Exception {
    Ran ran = run(directory, prefix, command);
    assertThat(ran.status()).as("%s: %s", List.of(command), ran.output()).isZero();
    return ran;
  }

  @Test
  void anInstalledBerthBuildsFromAnywhereCompletesAndHasManualPages() throws Exception {
    Path prefix = work.resolve("prefix");
    Berth.tool(REPO, REPO.resolve("scripts/install").toString(), prefix.toString());
    Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
    Path store = work.resolve("store");

    String commit = Berth.tool(REPO, "git", "rev-parse", "--short=12", "HEAD").strip();
    assertThat(ok(elsewhere, prefix, "berth", "--version").output())
        .matches("berth \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit " + commit + "(-dirty)?\\)\\n");

    String rootfs = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    ok(elsewhere, prefix, "berth", "import", rootfs, "--as", "examples/busybox:1", "--store", store.toString());
    Ran build = ok(elsewhere, prefix, "berth", "build", REPO.resolve("examples/hello").toString(), "--store", store.toString());
    assertThat(build.output()).containsPattern("verified +examples/hello:[0-9a-f]{24}");
    try (var files = Files.list(elsewhere)) {
      assertThat(files).as("nothing written into the working directory").isEmpty();
    }

    Path bash = prefix.resolve("share/bash-completion/completions/berth");
    assertThat(ok(elsewhere, prefix, "bash", "-c", "source " + bash + " && complete -p berth").output())
        .contains("-F _complete_berth berth");
    // the completion knows the subcommands and their options
    assertThat(Files.readString(bash)).contains("build", "layered", "--select");
    Path zsh = prefix.resolve("share/zsh/site-functions/_berth");
    assertThat(ok(elsewhere, prefix, "zsh", "-fc", "autoload -U compinit && compinit -u && source " + zsh
        + " && print -r -- ${_comps[berth]}").output()).contains("_complete_berth");

    Path manual = prefix.resolve("share/man/man1/berth-build.1");
    String page = ok(elsewhere, prefix, "man", "-l", manual.toString()).output();
    assertThat(page).contains("berth-build", "SYNOPSIS", "--select");
    assertThat(ok(elsewhere, prefix, "man", "-l", prefix.resolve("share/man/man1/berth.1").toString()).output())
        .contains("COMMANDS", "layered");
  }
}
