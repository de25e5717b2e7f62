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
    return decode(file, bytes);
  }

  /**
   * The file's first lines up to and including the first line that is not blank (all of it when
   * there is none), checked as {@link #read} checks a whole file: the rest is not read.
   */
  public static String readHead(Path file) {
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] chunk = new byte[8192];
      boolean content = false;
      for (int n; (n = in.read(chunk)) > 0; ) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          byte b = chunk[i];
          if (b == '\n' && content) {
            head.write(chunk, start, i + 1 - start);
            start = i + 1;
            String text = decode(file, head.toByteArray());
            // a line of other (Unicode) blanks is blank too: then read on
            if (text.lines().anyMatch(line -> !line.isBlank())) {
              return text;
            }
            content = false;
          }
          content |= b != ' ' && b != '\t' && b != '\r' && b != '\n';
        }
        head.write(chunk, start, n - start);
      }
    } catch (NoSuchFileException e) {
      throw new TextFileException(file, 0, "no such file");
    } catch (IOException e) {
      throw new TextFileException(file, 0, Files.isDirectory(file) ? "is a directory, not a file" : "cannot be read");
    }
    return decode(file, head.toByteArray());
  }

  private static String decode(Path file, byte[] bytes) {
    if (plainAscii(bytes)) {
      // the common case without a decoder: one pass over the bytes, and a Latin-1 string made by a copy
      return new String(bytes, StandardCharsets.ISO_8859_1);
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

  /** Whether every byte is printable ASCII, tab, CR or LF (then the bytes are valid UTF-8 text as they are). */
  private static boolean plainAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0x20 && (b < 0 || b != '\n' && b != '\r' && b != '\t')) {
        return false;
      }
    }
    return true;
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
