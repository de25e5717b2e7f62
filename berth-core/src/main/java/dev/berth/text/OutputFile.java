package dev.berth.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file a command writes for the user (a report, a metadata file): checked before the command does
 * any work, so that a missing directory is one line up front rather than a lost result at the end,
 * and written whole (a temporary file renamed) so that a reader never sees half of it.
 */
public record OutputFile(Path path, String what) {
  /** Checks that {@code path}'s directory exists; throws with the path and {@code what} the file is. */
  public static OutputFile checked(Path path, String what) throws IOException {
    Path absolute = path.toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    if (directory == null || !Files.exists(directory)) {
      throw new NoSuchFileException(path.toString(), null, "the directory for the " + what + " does not exist");
    }
    if (!Files.isDirectory(directory)) {
      throw new NotDirectoryException(directory.toString());
    }
    if (Files.isDirectory(absolute)) {
      throw new IOException(path + ": the " + what + " would replace a directory");
    }
    return new OutputFile(absolute, what);
  }

  public void write(byte[] content) throws IOException {
    Path temp = path.resolveSibling("." + path.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.write(temp, content);  // with the user's umask, as any file they write
      Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
