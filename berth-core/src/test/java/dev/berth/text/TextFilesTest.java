package dev.berth.text;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class TextFilesTest {
  @TempDir Path dir;

  @Test
  void asciiAndUtf8ReadTheSame() throws Exception {
    Path ascii = Files.writeString(dir.resolve("a"), "one\ttwo\r\nthree\n");
    Path utf8 = Files.writeString(dir.resolve("u"), "Jérôme ☃\n", StandardCharsets.UTF_8);
    assertThat(TextFiles.read(ascii)).isEqualTo("one\ttwo\r\nthree\n");
    assertThat(TextFiles.read(utf8)).isEqualTo("Jérôme ☃\n");
  }

  @Test
  void controlCharactersAndBadUtf8AreRefusedWithTheirLine() throws Exception {
    Path control = Files.write(dir.resolve("c"), "a\nb\u0001\n".getBytes(StandardCharsets.UTF_8));
    Path bad = Files.write(dir.resolve("b"), new byte[] {'a', '\n', 'b', '\n', (byte) 0xC3, '\n'});
    assertThatThrownBy(() -> TextFiles.read(control)).hasMessageContaining("control characters")
        .extracting(e -> ((TextFileException) e).getMessage()).asString().contains(":2");
    assertThatThrownBy(() -> TextFiles.read(bad)).hasMessageContaining("not UTF-8");
  }

  @Test
  void theHeadEndsWithTheFirstLineThatIsNotBlankAndLeavesTheRestUnread() throws Exception {
    byte[] rest = new byte[100_000];
    rest[50_000] = 1; // a control character far down: not read, so not refused
    byte[] head = "\n  \n\u3000\nname (1.0) x; urgency=low\n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + rest.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    Path file = Files.write(dir.resolve("changelog"), all);
    assertThat(TextFiles.readHead(file)).isEqualTo("\n  \n\u3000\nname (1.0) x; urgency=low\n");
  }

  @Test
  void aHeadWithoutContentIsTheWholeFileAndBadBytesInTheHeadAreRefused() throws Exception {
    Path blank = Files.writeString(dir.resolve("blank"), "\n\n  ");
    assertThat(TextFiles.readHead(blank)).isEqualTo("\n\n  ");
    Path bad = Files.write(dir.resolve("bad"), new byte[] {'\n', 'x', 2, '\n', 'y', '\n'});
    assertThatThrownBy(() -> TextFiles.readHead(bad)).hasMessageContaining("control characters");
    assertThatThrownBy(() -> TextFiles.readHead(dir.resolve("none"))).hasMessageContaining("no such file");
  }
}
