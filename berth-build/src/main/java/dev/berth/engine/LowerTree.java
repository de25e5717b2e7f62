package dev.berth.engine;

import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerStreams;
import dev.berth.oci.Digest;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What the layers of an image so far hold, from their tar headers only: the type, mode, owner and
 * link target of every path. A file step needs it to do what Docker does by copying into the real
 * root file system: keep the owner of a directory that exists, and write through a symlink rather
 * than over it.
 */
final class LowerTree {
  /** One path: {@code type} is 'd' directory, 'l' symlink, 'f' anything else. */
  record Node(char type, int mode, int uid, int gid, String linkTarget) {}

  private record Header(String path, Node node) {}

  private static final int MAX_LINKS = 40;
  private static final Map<Digest, List<Header>> HEADERS = new ConcurrentHashMap<>();

  private final Map<String, Node> nodes = new HashMap<>();

  private LowerTree() {}

  static LowerTree of(ContentStore store, List<LayerBlob> layers) throws IOException {
    LowerTree tree = new LowerTree();
    for (LayerBlob layer : layers) {
      List<Header> headers = HEADERS.get(layer.diffId());
      if (headers == null) {
        headers = read(store, layer);
        HEADERS.put(layer.diffId(), headers);
      }
      tree.apply(headers);
    }
    return tree;
  }

  Optional<Node> get(String path) {
    return Optional.ofNullable(nodes.get(clean(path)));
  }

  /** The owner and mode of the directory at {@code path}, if the image has one there. */
  Optional<dev.berth.layer.EntryAttributes> existingDirectory(String path) {
    return get(path).filter(node -> node.type() == 'd')
        .map(node -> new dev.berth.layer.EntryAttributes(node.uid(), node.gid(), node.mode()));
  }

  boolean isDirectory(String path) {
    Node node = nodes.get(clean(path));
    return node != null && node.type() == 'd';
  }

  /**
   * {@code path} (absolute) with the symlinks among its parents resolved inside the root, and the
   * last component's too when {@code followLast}: where a write to {@code path} lands.
   */
  String resolve(String path, boolean followLast) {
    List<String> pending = new ArrayList<>(List.of(clean(path).split("/")));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.remove(0);
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      String candidate = String.join("/", done) + (done.isEmpty() ? "" : "/") + part;
      Node node = nodes.get(candidate);
      boolean last = pending.isEmpty();
      if (node != null && node.type() == 'l' && (!last || followLast) && links++ < MAX_LINKS) {
        String target = node.linkTarget();
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> expanded = new ArrayList<>(List.of(target.split("/")));
        expanded.addAll(pending);
        pending = expanded;
        continue;
      }
      done.add(part);
    }
    return "/" + String.join("/", done);
  }

  private void apply(List<Header> headers) {
    for (Header header : headers) {
      String name = header.path().substring(header.path().lastIndexOf('/') + 1);
      String parent = header.path().contains("/") ? header.path().substring(0, header.path().lastIndexOf('/')) : "";
      if (name.equals(".wh..wh..opq")) {
        removeBelow(parent);
      } else if (name.startsWith(".wh.")) {
        String hidden = (parent.isEmpty() ? "" : parent + "/") + name.substring(4);
        nodes.remove(hidden);
        removeBelow(hidden);
      }
    }
    for (Header header : headers) {
      String name = header.path().substring(header.path().lastIndexOf('/') + 1);
      if (name.startsWith(".wh.") || header.path().isEmpty()) {
        continue;
      }
      Node before = nodes.put(header.path(), header.node());
      if (before != null && before.type() == 'd' && header.node().type() != 'd') {
        removeBelow(header.path());
      }
    }
  }

  private void removeBelow(String directory) {
    String prefix = directory.isEmpty() ? "" : directory + "/";
    nodes.keySet().removeIf(p -> p.startsWith(prefix) && !p.equals(directory));
  }

  private static List<Header> read(ContentStore store, LayerBlob layer) throws IOException {
    List<Header> out = new ArrayList<>();
    try (InputStream blob = store.openBlob(layer.descriptor().digest());
         InputStream plain = LayerStreams.decompress(blob, layer.descriptor().mediaType());
         TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
      for (TarArchiveEntry entry = tar.getNextTarEntry(); entry != null; entry = tar.getNextTarEntry()) {
        char type = entry.isDirectory() ? 'd' : entry.isSymbolicLink() ? 'l' : 'f';
        out.add(new Header(clean(entry.getName()), new Node(type, entry.getMode() & 07777,
            (int) entry.getLongUserId(), (int) entry.getLongGroupId(), entry.isSymbolicLink() ? entry.getLinkName() : null)));
      }
    }
    return out;
  }

  /** {@code /a/b/}, {@code ./a/b} and {@code a/b} all as {@code a/b}; the root as "". */
  static String clean(String path) {
    String out = path.replaceAll("/+", "/");
    while (out.startsWith("./") || out.startsWith("/")) {
      out = out.substring(out.startsWith("/") ? 1 : 2);
    }
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out.equals(".") ? "" : out;
  }
}
