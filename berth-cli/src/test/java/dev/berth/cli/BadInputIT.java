package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input: one line on stderr, a non-zero exit, and the store exactly as before. */
@Tag("integration")
@Tag("runc")
class BadInputIT {
  @TempDir Path work;
  Path store;
  Path image;
  Berth berth;
  List<String> before;

  @BeforeEach
  void storeWithOneImage() throws Exception {
    store = work.resolve("store");
    berth = new Berth(store);
    image = Files.createDirectories(work.resolve("img"));
    Files.writeString(image.resolve("hello.txt"), "hi");
    Files.writeString(image.resolve("image.yaml"), "base: scratch\ncopy:\n  - {src: hello.txt, dest: /hello.txt}\n");
    berth.run("build", image.toString()).succeeded();
    before = Berth.snapshot(store);
    assertThat(before).isNotEmpty();
  }

  private Berth.Result buildWith(String yaml) throws Exception {
    Files.writeString(image.resolve("image.yaml"), yaml);
    return berth.run("build", image.toString());
  }

  private void storeUnchanged() throws Exception {
    assertThat(Berth.snapshot(store)).isEqualTo(before);
  }

  @Test
  void missingSourceFile() throws Exception {
    buildWith("base: scratch\ncopy:\n  - {src: nope.txt, dest: /x}\n")
        .failedWithOneLine("'copy.src' source 'nope.txt' does not exist");
    storeUnchanged();
  }

  @Test
  void unknownKey() throws Exception {
    buildWith("base: scratch\nflavour: mint\n").failedWithOneLine("image.yaml:2: unknown key 'flavour'");
    storeUnchanged();
  }

  @Test
  void wrongType() throws Exception {
    buildWith("base: scratch\nexpose: {a: b}\n").failedWithOneLine("image.yaml:2: 'expose' must be a list");
    storeUnchanged();
  }

  @Test
  void sourceOutsideTheFolder() throws Exception {
    Files.writeString(work.resolve("secret.txt"), "s");
    buildWith("base: scratch\ncopy:\n  - {src: ../secret.txt, dest: /x}\n")
        .failedWithOneLine("image.yaml:3: 'copy.src' path '../secret.txt' is outside the image folder");
    storeUnchanged();
  }

  @Test
  void symlinkPointingOutside() throws Exception {
    Files.createDirectories(image.resolve("app"));
    Files.createSymbolicLink(image.resolve("app/passwd"), Path.of("/etc/passwd"));
    buildWith("base: scratch\ncopy:\n  - {src: app/, dest: /app}\n")
        .failedWithOneLine("symlink 'app/passwd' points outside the image folder");
    storeUnchanged();
  }

  @Test
  void symlinkedDirectoryLeadingOutside() throws Exception {
    Path outside = Files.createDirectories(work.resolve("outside"));
    Files.writeString(outside.resolve("f"), "x");
    Files.createSymbolicLink(image.resolve("link"), outside);
    buildWith("base: scratch\ncopy:\n  - {src: link/f, dest: /f}\n")
        .failedWithOneLine("leads outside the image folder through a symlink");
    storeUnchanged();
  }

  @Test
  void theWholeImageFolderCanBeCopied() throws Exception {
    for (String source : List.of(".", "./")) {
      assertThat(buildWith("base: scratch\ncopy:\n  - {src: \"" + source + "\", dest: /app}\n").succeeded().stdout())
          .as("copy of '%s'", source).startsWith("verified   img:");
    }
  }

  @Test
  void invalidName() throws Exception {
    buildWith("name: Bad Name\nbase: scratch\n").failedWithOneLine("image.yaml:1: invalid image name 'Bad Name'");
    storeUnchanged();
  }

  @Test
  void invalidTag() throws Exception {
    buildWith("base: scratch\ntags: [\"v1..2/x\"]\n").failedWithOneLine("invalid tag 'v1..2/x'");
    storeUnchanged();
  }

  @Test
  void baseNotInTheStore() throws Exception {
    // Docker's rules: a name without registry is on Docker Hub, where it cannot be pulled here.
    buildWith("base: nowhere/base:1\n").failedWithOneLine(
        "base image 'nowhere/base:1' (docker.io/nowhere/base:1) is not in the store and cannot be pulled");
    storeUnchanged();
  }

  @Test
  void importOfATarballWithTraversal() throws Exception {
    Path tar = work.resolve("evil.tar");
    try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(tar))) {
      var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("etc/../../escaped");
      entry.setSize(1);
      out.putArchiveEntry(entry);
      out.write('x');
      out.closeArchiveEntry();
    }
    berth.run("import", tar.toString(), "--as", "evil:1").failedWithOneLine("points outside the root");
    storeUnchanged();
  }

  @Test
  void debugShowsTheStackTrace() throws Exception {
    Files.writeString(image.resolve("image.yaml"), "base: scratch\nflavour: mint\n");
    Berth.Result result = berth.run("build", image.toString(), "--debug");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("\tat ");
  }
}
