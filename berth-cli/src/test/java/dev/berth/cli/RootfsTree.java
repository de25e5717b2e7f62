package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image's root file system, worked out in memory from its layer tars (whiteouts and opaque
 * directories applied): per path its type, mode, owner, content digest or link target, and the
 * other paths it is hard-linked to. Times are left out.
 */
final class RootfsTree {
  /** One inode: paths hard-linked to each other share the same object. */
  private static final class Node {
    final String what;

    Node(String what) {
      this.what = what;
    }
  }

  private final Map<String, Node> nodes = new TreeMap<>();

  /** A layer's tar headers and the content digest of each regular file, read once. */
  record Layer(List<TarArchiveEntry> entries, Map<String, String> digests) {}

  /** Reads one uncompressed layer tar. */
  static Layer read(InputStream layerTar) throws IOException {
    List<TarArchiveEntry> entries = new ArrayList<>();
    Map<String, String> digests = new TreeMap<>();
    TarArchiveInputStream tar = new TarArchiveInputStream(layerTar);
    for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null; entry = tar.getNextTarEntry()) {
      entries.add(entry);
      if (entry.isFile()) {
        digests.put(clean(entry.getName()), sha256(tar));
      }
    }
    return new Layer(entries, digests);
  }

  /** Applies one uncompressed layer tar on top of what is there. */
  void apply(InputStream layerTar) throws IOException {
    apply(read(layerTar));
  }

  /** Applies a layer read before on top of what is there. */
  void apply(Layer layer) {
    List<TarArchiveEntry> entries = layer.entries();
    Map<String, String> digests = layer.digests();
    for (TarArchiveEntry entry : entries) {  // whiteouts first: they hide what lower layers had
      String path = clean(entry.getName());
      String name = path.substring(path.lastIndexOf('/') + 1);
      String parent = path.substring(0, path.lastIndexOf('/') + 1);
      if (name.equals(".wh..wh..opq")) {
        nodes.keySet().removeIf(p -> p.startsWith(parent) && !p.equals(parent.isEmpty() ? "/" : parent));
      } else if (name.startsWith(".wh.")) {
        remove(parent + name.substring(4));
      }
    }
    for (TarArchiveEntry entry : entries) {
      String path = clean(entry.getName());
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.startsWith(".wh.")) {
        continue;
      }
      String owner = String.format(" %o %d:%d", entry.getMode() & 07777, entry.getLongUserId(), entry.getLongGroupId());
      if (entry.isLink()) {
        Node target = nodes.get(clean(entry.getLinkName()));
        remove(path);
        nodes.put(path, target != null ? target : new Node("dangling hard link " + entry.getLinkName()));
      } else if (entry.isDirectory()) {
        Node existing = nodes.get(path);
        nodes.put(path, new Node("dir" + owner));
        if (existing == null || !existing.what.startsWith("dir")) {
          removeBelow(path);
        }
      } else {
        remove(path);
        String what = entry.isSymbolicLink() ? "symlink " + entry.getLinkName()
            : entry.isFile() ? "file " + digests.get(path)
            : "special " + (char) entry.getLinkFlag() + " " + entry.getDevMajor() + "," + entry.getDevMinor();
        nodes.put(path, new Node(what + owner));
      }
    }
  }

  /** Path → description, with {@code links=[…]} listing every path of a hard-link group. */
  Map<String, String> describe() {
    Map<Node, TreeSet<String>> groups = new IdentityHashMap<>();
    nodes.forEach((path, node) -> groups.computeIfAbsent(node, n -> new TreeSet<>()).add(path));
    Map<String, String> out = new TreeMap<>();
    nodes.forEach((path, node) -> {
      TreeSet<String> group = groups.get(node);
      out.put(path, group.size() > 1 ? node.what + " links=" + group : node.what);
    });
    return out;
  }

  private void remove(String path) {
    nodes.remove(path);
    removeBelow(path);
  }

  private void removeBelow(String path) {
    String prefix = path.endsWith("/") ? path : path + "/";
    nodes.keySet().removeIf(p -> p.startsWith(prefix));
  }

  /** {@code ./a/b/} and {@code a/b} both as {@code /a/b}; the root as {@code /}. */
  private static String clean(String name) {
    String path = name;
    while (path.startsWith("./")) {
      path = path.substring(2);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.equals(".")) {
      path = "";
    }
    return "/" + path;
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
