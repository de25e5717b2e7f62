package dev.berth.text;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * An error as one line for people: the message of the exception (or of its first cause that has
 * one). File-system errors, whose JDK message is only a path, say what went wrong in words; an
 * error without any message is named as an internal error, without Java's class names.
 */
public final class ErrorText {
  private ErrorText() {}

  public static String of(Throwable e) {
    Throwable cause = e;
    while ((cause.getMessage() == null || cause.getMessage().isBlank()) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FileSystemException files) {
      return firstLine(describe(files));
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return "internal error (" + words(cause.getClass().getSimpleName()) + "); run again with --debug for details";
    }
    return firstLine(message);
  }

  private static String describe(FileSystemException e) {
    String what = e.getReason() != null ? lowerFirst(e.getReason())
        : e instanceof NoSuchFileException ? "no such file or directory"
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileAlreadyExistsException ? "already exists"
        : e instanceof DirectoryNotEmptyException ? "directory not empty"
        : e instanceof NotDirectoryException ? "not a directory"
        : "cannot be used";
    String where = e.getFile() == null ? "" : e.getFile() + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile());
    return where.isEmpty() ? what : where + ": " + what;
  }

  /** "Directory not empty" (the system's words) as "directory not empty"; "OCI" stays as it is. */
  private static String lowerFirst(String reason) {
    return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
  }

  /** {@code NullPointerException} as "null pointer". */
  private static String words(String className) {
    return className.replace("Exception", "").replace("Error", "").replaceAll("([a-z])([A-Z])", "$1 $2")
        .toLowerCase(Locale.ROOT).strip();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
