package dev.berth.dockerfile;

/**
 * {@code COPY --parents} as BuildKit documents it: each source keeps its path below the context
 * under the destination ({@code COPY --parents foo1/foo2/bar /} writes {@code /foo1/foo2/bar}),
 * except the part before a {@code /./} pivot ({@code a/./b/c} keeps {@code b/c}).
 */
public final class ParentPaths {
  private ParentPaths() {}

  /**
   * The part of {@code path} (a context-relative path {@code source} expanded to) that is kept:
   * all of it, or what follows the pivot {@code /./} written in {@code source}.
   */
  public static String kept(String source, String path) {
    String written = source;
    while (written.startsWith("/")) {
      written = written.substring(1);
    }
    while (written.startsWith("./")) {
      written = written.substring(2);
    }
    int pivot = written.indexOf("/./");
    if (pivot < 0 || path.equals(".")) {
      return path.equals(".") ? "" : path;
    }
    // the pivot's prefix may hold wildcards: as many leading elements as it has are dropped
    int dropped = ImagePaths.normalize("/" + written.substring(0, pivot)).split("/").length - 1;
    String[] elements = path.split("/");
    if (dropped >= elements.length) {
      return "";
    }
    return String.join("/", java.util.Arrays.copyOfRange(elements, dropped, elements.length));
  }

  /**
   * Where a source goes: a directory's content into {@code directory/KEPT/}, a file into the
   * directory of its kept path.
   */
  public static String destination(String directory, String kept, boolean sourceIsDirectory) {
    String under = sourceIsDirectory ? kept : kept.contains("/") ? kept.substring(0, kept.lastIndexOf('/')) : "";
    return under.isEmpty() ? directory : directory + under + "/";
  }
}
