package dev.berth.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Reads the text files of a tree, refusing binary content with the line it starts on. */
public final class TextFiles {
  private TextFiles() {}

  /** The file as UTF-8 text without control characters other than tab, CR and LF. */
  public static String read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TextFileException(file, 0, "no such file");
    } catch (IOException e) {
      throw new TextFileException(file, 0, Files.isDirectory(file) ? "is a directory, not a file" : "cannot be read");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new TextFileException(file, firstBadLine(bytes), "not a text file: it is not UTF-8");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        throw new TextFileException(file, lineOf(text, i), "not a text file: it holds control characters");
      }
    }
    return text;
  }

  /** {@link #read} split into lines. */
  public static List<String> readLines(Path file) {
    return read(file).lines().toList();
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static int firstBadLine(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    int line = 1;
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        try {
          decoder.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
        } catch (CharacterCodingException bad) {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return 0;
  }
}
