package dev.berth.engine;

/** Where COPY puts things, with Docker's rules for trailing slashes and directory sources. */
final class CopyPaths {
  private CopyPaths() {}

  /**
   * The image path a source lands at: a directory's contents go into {@code dest}; a file goes to
   * {@code dest/NAME} when {@code dest} ends with a slash, else to {@code dest} itself.
   */
  static String destination(String dest, String sourcePath, boolean directorySource) {
    String trimmed = dest.length() > 1 && dest.endsWith("/") ? dest.substring(0, dest.length() - 1) : dest;
    if (directorySource || !dest.endsWith("/")) {
      return trimmed;
    }
    String name = sourcePath.substring(sourcePath.lastIndexOf('/') + 1);
    return join(trimmed, name);
  }

  /** {@code path} relative to {@code parent} (both relative to the image folder; "" is the folder). */
  static String relativeTo(String parent, String path) {
    if (path.equals(parent)) {
      return "";
    }
    return parent.isEmpty() ? path : path.substring(parent.length() + 1);
  }

  static String join(String directory, String relative) {
    if (relative.isEmpty()) {
      return directory;
    }
    return directory.endsWith("/") ? directory + relative : directory + "/" + relative;
  }
}
