package dev.berth.store;

import java.io.IOException;
import java.nio.file.Path;

/** The file system that holds the store ran out of space (or quota): the message names the store. */
public final class StoreFullException extends IOException {
  public StoreFullException(Path store, String writing, IOException cause) {
    super("no space left in the store " + store + " while writing " + writing
        + "; nothing partial was kept (free space, or run berth store gc)", cause);
  }

  /** {@code e} itself, or a {@link StoreFullException} when it (or a cause) says the disk is full. */
  public static IOException translate(IOException e, Path store, String writing) {
    if (e instanceof StoreFullException) {
      return e;
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
        return new StoreFullException(store, writing, e);
      }
    }
    return e;
  }
}
