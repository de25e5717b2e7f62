package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless Chromium, to load a page as a browser does: its DOM after scripts ran, its console, a screenshot. */
final class Chromium {
  /** What a page left after loading: the DOM as serialized, and the console messages Chromium logged. */
  record Page(String dom, List<String> console) {}

  private final Path profile;

  Chromium(Path scratch) throws IOException {
    this.profile = Files.createDirectories(scratch.resolve("chromium-profile"));
  }

  Page load(Path html) throws IOException, InterruptedException {
    Ran ran = run("--enable-logging=stderr", "--v=0", "--dump-dom", html.toUri().toString());
    List<String> console = ran.stderr().lines().filter(line -> line.contains(":CONSOLE")).toList();
    return new Page(ran.stdout(), console);
  }

  void screenshot(Path html, Path png) throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    run("--hide-scrollbars", "--window-size=1280,1400", "--screenshot=" + png.toAbsolutePath(), html.toUri().toString());
    assertThat(png).as("the screenshot").isNotEmptyFile();
  }

  private record Ran(String stdout, String stderr) {}

  private Ran run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Path err = Files.createTempFile(profile, "stderr", ".txt");
    Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish: " + command);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    Files.delete(err);
    assertThat(process.exitValue()).as("chromium: %s", stderr).isZero();
    return new Ran(out, stderr);
  }
}
