package dev.berth.engine;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** COPY --exclude on the inputs of a copy, after BuildKit's testExcludedFilesOnCopy (exclude_patterns_test.go). */
@Tag("unit")
class CopyExcludesTest {
  private static InputFile file(String path) {
    return new InputFile(path, InputFile.Kind.FILE, 0600, null, null, null);
  }

  private static InputFile dir(String path) {
    return new InputFile(path, InputFile.Kind.DIRECTORY, 0755, null, null, null);
  }

  private static final List<InputFile> CONTEXT = List.of(dir(""), dir("dir1"), file("dir1/file-101.png"),
      file("dir1/file-102.txt"), file("dir1/file-103.jpeg"), dir("dir2"), file("dir2/file-201.pdf"),
      file("dir2/file-202.jpeg"), dir("dir3"), file("dir3/file-301.mp3"));

  private static List<String> kept(List<InputFile> inputs, String... patterns) {
    return ImagePreparer.excluded(inputs, List.of(patterns)).stream().map(InputFile::path).toList();
  }

  @Test
  void patternsMatchPathsBelowADirectorySource() {
    assertThat(kept(CONTEXT, "*/*.png", "*/*.jpeg")).containsExactly("", "dir1", "dir1/file-102.txt", "dir2",
        "dir2/file-201.pdf", "dir3", "dir3/file-301.mp3");
    assertThat(kept(List.of(dir("dir3"), file("dir3/file-301.mp3"), file("dir3/file-302.mpeg")), "*.mp3"))
        .containsExactly("dir3", "dir3/file-302.mpeg");
  }

  @Test
  void aMatchedDirectoryGoesWithItsContentAndTheSourceItselfStays() {
    assertThat(kept(CONTEXT, "dir1", "dir2")).containsExactly("", "dir3", "dir3/file-301.mp3");
    assertThat(kept(List.of(dir("dir3"), file("dir3/file-301.mp3")), "*")).containsExactly("dir3");
  }

  @Test
  void aFileSourceIsMatchedByItsName() {
    assertThat(kept(List.of(file("dir1/file-101.png")), "*.png")).isEmpty();
    assertThat(kept(List.of(file("dir1/file-102.txt")), "*.png")).containsExactly("dir1/file-102.txt");
  }
}
