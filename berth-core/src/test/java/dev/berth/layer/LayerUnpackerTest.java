package dev.berth.layer;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.InvalidContentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class LayerUnpackerTest {
  @TempDir Path dir;
  Path root;
  Path outside;

  @BeforeEach
  void dirs() throws Exception {
    root = Files.createDirectories(dir.resolve("root"));
    outside = Files.createDirectories(dir.resolve("outside"));
  }

  /** A tar built entry by entry: name, then "file:CONTENT", "dir", "symlink:TARGET" or "link:TARGET". */
  static byte[] tar(String... entries) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (int i = 0; i < entries.length; i += 2) {
        String name = entries[i];
        String kind = entries[i + 1];
        TarArchiveEntry entry;
        if (kind.startsWith("file:")) {
          byte[] content = kind.substring(5).getBytes(StandardCharsets.UTF_8);
          entry = new TarArchiveEntry(name, true);
          entry.setSize(content.length);
          tar.putArchiveEntry(entry);
          tar.write(content);
        } else if (kind.equals("dir")) {
          entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
          tar.putArchiveEntry(entry);
        } else if (kind.startsWith("symlink:")) {
          entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
          entry.setLinkName(kind.substring(8));
          tar.putArchiveEntry(entry);
        } else {
          entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
          entry.setLinkName(kind.substring(5));
          tar.putArchiveEntry(entry);
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private void apply(byte[] tar) throws Exception {
    new LayerUnpacker(root).apply(new ByteArrayInputStream(tar));
  }

  private void assertOutsideUntouched() throws Exception {
    try (var list = Files.list(outside)) {
      assertThat(list).isEmpty();
    }
    try (var list = Files.list(dir)) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("root", "outside");
    }
  }

  @Test
  void refusesParentTraversal() throws Exception {
    assertThatThrownBy(() -> apply(tar("a/../../outside/evil", "file:x"))).isInstanceOf(InvalidContentException.class)
        .hasMessageContaining("points outside the root");
    assertOutsideUntouched();
  }

  @Test
  void refusesWritingThroughAnAbsoluteSymlink() throws Exception {
    assertThatThrownBy(() -> apply(tar("etc", "symlink:" + outside, "etc/passwd", "file:pwned")))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("through the symlink 'etc'");
    assertOutsideUntouched();
  }

  @Test
  void refusesWritingThroughARelativeSymlinkThatEscapes() throws Exception {
    assertThatThrownBy(() -> apply(tar("up", "symlink:../outside", "up/file", "file:x")))
        .isInstanceOf(InvalidContentException.class);
    assertOutsideUntouched();
  }

  @Test
  void refusesHardLinksToOutside() throws Exception {
    assertThatThrownBy(() -> apply(tar("passwd", "link:../outside/x"))).isInstanceOf(InvalidContentException.class);
    assertThatThrownBy(() -> apply(tar("passwd", "link:/etc/passwd")))
        .isInstanceOf(InvalidContentException.class).hasMessageContaining("not a regular file of the layer");
    assertOutsideUntouched();
  }

  @Test
  void absoluteNamesLandInsideTheRoot() throws Exception {
    apply(tar("/etc/hostname", "file:box"));
    assertThat(root.resolve("etc/hostname")).hasContent("box");
    assertOutsideUntouched();
  }

  @Test
  void appliesWhiteoutsAndOpaqueDirectories() throws Exception {
    apply(tar("a/", "dir", "a/one", "file:1", "a/two", "file:2", "b/", "dir", "b/keep", "file:k", "b/gone", "file:g"));
    apply(tar("b/.wh.gone", "file:", "a/", "dir", "a/.wh..wh..opq", "file:", "a/three", "file:3"));
    assertThat(root.resolve("b/gone")).doesNotExist();
    assertThat(root.resolve("b/keep")).exists();
    try (var list = Files.list(root.resolve("a"))) {
      assertThat(list.map(p -> p.getFileName().toString())).containsExactly("three");
    }
  }

  @Test
  void overlayModeWritesDevicesAndOpaqueMarkers() throws Exception {
    new LayerUnpacker(root, LayerUnpacker.Whiteouts.OVERLAY)
        .apply(new ByteArrayInputStream(tar("x/", "dir", "x/.wh..wh..opq", "file:", "y/.wh.gone", "file:")));
    assertThat((Integer) Files.getAttribute(root.resolve("y/gone"), "unix:mode") & 0170000).isEqualTo(0020000);
    assertThat(Files.getAttribute(root.resolve("y/gone"), "unix:rdev")).isEqualTo(0L);
    Process getfattr = new ProcessBuilder("getfattr", "-n", "trusted.overlay.opaque", "--only-values",
        root.resolve("x").toString()).start();
    assertThat(new String(getfattr.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("y");
  }
}
