package dev.berth.dockerfile;

import java.util.ArrayDeque;
import java.util.Deque;

/** Paths inside an image: always '/'-separated, whatever the host. */
final class ImagePaths {
  private ImagePaths() {}

  /** {@code path} without '.', '..' (never above the root) or repeated slashes; absolute stays absolute. */
  static String normalize(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    String joined = String.join("/", parts);
    return path.startsWith("/") ? "/" + joined : joined;
  }
}
