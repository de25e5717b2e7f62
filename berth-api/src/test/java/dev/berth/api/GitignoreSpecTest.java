package dev.berth.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.layer.LayerStreams;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageManifest;
import dev.berth.store.ContentStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gitignore: true} / {@code Builder.gitignore(true)}: what git ignores stays out of the image and the key. */
@Tag("unit")
class GitignoreSpecTest {
  @TempDir Path work;
  private Path repo;
  private Path app;

  /** A repository (its {@code .git} a folder) whose root and image folder each have a .gitignore. */
  @BeforeEach
  void repository() throws Exception {
    repo = work.resolve("repo");
    app = Files.createDirectories(repo.resolve("app"));
    Files.createDirectories(repo.resolve(".git"));
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(repo.resolve(".gitignore"), "*.log\nbuild/\n");
    Files.writeString(app.resolve(".gitignore"), "secret.txt\n!keep.log\n");
    Files.writeString(app.resolve("main.sh"), "echo app\n");
    Files.writeString(app.resolve("debug.log"), "noise\n");
    Files.writeString(app.resolve("keep.log"), "kept\n");
    Files.writeString(app.resolve("secret.txt"), "local only\n");
    Files.createDirectories(app.resolve("build"));
    Files.writeString(app.resolve("build/out.bin"), "artifact\n");
    Files.writeString(app.resolve("image.yaml"), """
        base: scratch
        copy:
          - {src: ., dest: /app}
        gitignore: true
        """);
  }

  private ImageSpec spec(boolean gitignore) {
    return ImageSpec.builder("app").base("scratch").sourceRoot(app).copy(".", "/app").gitignore(gitignore).build();
  }

  @Test
  void theSpecWithGitignoreOnHasTheKeyOfTheImageYamlThatSaysSo() throws Exception {
    assertThat(spec(true).toYaml()).contains("gitignore: true");
    assertThat(spec(false).toYaml()).doesNotContain("gitignore");
    try (Berth berth = Berth.store(work.resolve("store"))) {
      Map<String, String> treeKeys = berth.tree(repo).plan().stream()
          .collect(Collectors.toMap(PlannedImage::name, PlannedImage::key));
      assertThat(berth.key(spec(true))).isEqualTo(treeKeys.get("app"));
      assertThat(berth.key(spec(false))).isNotEqualTo(treeKeys.get("app"));
    }
  }

  @Test
  void anIgnoredFileIsAbsentFromTheImageAndTurningTheOptionOffBringsItBack() throws Exception {
    try (Berth berth = Berth.store(work.resolve("store"))) {
      List<String> on = files(berth, spec(true));
      assertThat(on).contains("app/main.sh", "app/keep.log", "app/.gitignore", "app/image.yaml")
          .doesNotContain("app/debug.log", "app/secret.txt", "app/build/out.bin")
          .noneMatch(name -> name.contains(".git/"));
      List<String> off = files(berth, spec(false));
      assertThat(off).contains("app/main.sh", "app/keep.log", "app/debug.log", "app/secret.txt", "app/build/out.bin");
    }
  }

  @Test
  void anIgnoredFileDoesNotChangeTheKeyAndAChangedGitignoreDoes() throws Exception {
    try (Berth berth = Berth.store(work.resolve("store"))) {
      String before = berth.key(spec(true));
      Files.writeString(app.resolve("debug.log"), "other noise\n");
      Files.writeString(app.resolve("build/out.bin"), "another artifact\n");
      assertThat(berth.key(spec(true))).isEqualTo(before);
      Files.writeString(repo.resolve(".gitignore"), "build/\n");  // *.log is copied again
      assertThat(berth.key(spec(true))).isNotEqualTo(before);
      assertThat(files(berth, spec(true))).contains("app/debug.log").doesNotContain("app/build/out.bin");
    }
  }

  /** The names in the image's layers, built into the store. */
  private static List<String> files(Berth berth, ImageSpec spec) throws Exception {
    RunResult result = berth.build(spec);
    assertThat(result.succeeded()).as("build of %s", spec.toYaml()).isTrue();
    ContentStore store = berth.contentStore();
    ImageManifest manifest = ImageManifest.parse(store.readBlob(result.image("app").digest()));
    List<String> names = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      try (InputStream blob = store.openBlob(layer.digest());
           InputStream raw = LayerStreams.decompress(blob, layer.mediaType());
           TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          names.add(entry.getName().replaceFirst("^\\./", "").replaceFirst("/$", ""));
        }
      }
    }
    return names;
  }
}
