package dev.berth.layer;

import dev.berth.oci.InvalidContentException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts layer tars into a root directory, as a container runtime would, refusing anything that
 * would write outside it: {@code ..} and absolute names, writes through a symlinked parent, hard
 * links to outside targets. Device nodes are made only when running as root.
 *
 * <p>Whiteouts are applied in one of two ways. {@link Whiteouts#APPLY}: a whiteout deletes what lower
 * layers put in the same root, an opaque marker empties the directory (a flattened root file system).
 * {@link Whiteouts#OVERLAY}: the layer is unpacked alone, as an overlayfs lower directory, so a
 * whiteout becomes a character device 0/0 and an opaque directory gets {@code trusted.overlay.opaque=y}.
 */
public final class LayerUnpacker {
  /** How whiteout entries are written. */
  public enum Whiteouts { APPLY, OVERLAY }

  private final Path root;
  private final boolean asRoot;
  private final Whiteouts whiteouts;
  private final List<Path> opaqueDirectories = new ArrayList<>();
  private final int createdFileMode;
  private final int createdDirectoryMode;

  public LayerUnpacker(Path root) {
    this(root, Whiteouts.APPLY);
  }

  public LayerUnpacker(Path root, Whiteouts whiteouts) {
    this.root = root.toAbsolutePath().normalize();
    this.asRoot = "root".equals(System.getProperty("user.name"));
    this.whiteouts = whiteouts;
    if (whiteouts == Whiteouts.OVERLAY && !asRoot) {
      throw new IllegalStateException("overlay whiteouts (device nodes, trusted.* xattrs) need root");
    }
    int[] modes = modesOfNewFiles(this.root);
    this.createdFileMode = modes[0];
    this.createdDirectoryMode = modes[1];
  }

  /** The modes new files and directories get here (the umask decides), so chmod can be skipped when equal. */
  private static int[] modesOfNewFiles(Path root) {
    try {
      Files.createDirectories(root);
      String id = java.util.UUID.randomUUID().toString();
      Path file = Files.createFile(root.resolve(".probe-file-" + id));
      Path directory = Files.createDirectory(root.resolve(".probe-dir-" + id));
      try {
        return new int[] {(Integer) Files.getAttribute(file, "unix:mode") & 07777,
            (Integer) Files.getAttribute(directory, "unix:mode") & 07777};
      } finally {
        Files.delete(file);
        Files.delete(directory);
      }
    } catch (IOException e) {
      return new int[] {-1, -1};
    }
  }

  /** Applies one uncompressed layer tar on top of what the root holds; {@code layerTar} is left open. */
  public void apply(InputStream layerTar) throws IOException {
    InputStream unclosed = new java.io.FilterInputStream(layerTar) {
      @Override
      public void close() {
        // the caller owns the stream (it may hash what follows the tar's end)
      }
    };
    try (TarArchiveInputStream tar = new TarArchiveInputStream(unclosed)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String name = clean(entry.getName());
        if (name.isEmpty()) {
          continue;
        }
        Path target = resolveInside(name);
        checkParents(target, name);
        String fileName = target.getFileName().toString();
        if (fileName.equals(".wh..wh..opq")) {
          if (whiteouts == Whiteouts.APPLY) {
            emptyDirectory(target.getParent());
          } else {
            Files.createDirectories(target.getParent());
            opaqueDirectories.add(target.getParent());
          }
          continue;
        }
        if (fileName.startsWith(".wh.")) {
          Path hidden = target.getParent().resolve(fileName.substring(4));
          deleteRecursively(hidden);
          if (whiteouts == Whiteouts.OVERLAY) {
            Files.createDirectories(hidden.getParent());
            run(List.of("mknod", hidden.toString(), "c", "0", "0"));
          }
          continue;
        }
        extract(tar, entry, target, name);
      }
    }
    if (!opaqueDirectories.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("setfattr", "-n", "trusted.overlay.opaque", "-v", "y"));
      opaqueDirectories.forEach(directory -> command.add(directory.toString()));
      run(command);
      opaqueDirectories.clear();
    }
  }

  private void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path target, String name) throws IOException {
    Files.createDirectories(target.getParent());
    boolean fresh = true;
    if (entry.isDirectory()) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(target);
      }
      fresh = !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
      Files.createDirectories(target);
    } else {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        deleteRecursively(target);
      } else {
        Files.deleteIfExists(target);
      }
      if (entry.isSymbolicLink()) {
        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        owner(target, entry);
        return;
      }
      if (entry.isLink()) {
        String linkName = clean(entry.getLinkName());
        Path source = resolveInside(linkName);
        checkParents(source, linkName);
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
          throw new InvalidContentException("hard link '" + name + "' points to '" + entry.getLinkName()
              + "', which is not a regular file of the layer");
        }
        Files.createLink(target, source);
        return;
      }
      if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
        if (asRoot) {
          mknod(target, entry);
        }
        return;
      }
      if (!entry.isFile()) {
        return;
      }
      try (OutputStream out = Files.newOutputStream(target)) {
        tar.transferTo(out);
      }
    }
    int mode = entry.getMode() & 07777;
    if (!fresh || mode != (entry.isDirectory() ? createdDirectoryMode : createdFileMode)) {
      Files.setAttribute(target, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
    owner(target, entry);
    Files.setLastModifiedTime(target, FileTime.fromMillis(entry.getModTime().getTime()));
  }

  private void owner(Path target, TarArchiveEntry entry) throws IOException {
    if (asRoot && (entry.getLongUserId() != 0 || entry.getLongGroupId() != 0)) {
      Files.setAttribute(target, "unix:uid", (int) entry.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(target, "unix:gid", (int) entry.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  private static void mknod(Path target, TarArchiveEntry entry) throws IOException {
    String type = entry.isFIFO() ? "p" : entry.isCharacterDevice() ? "c" : "b";
    List<String> command = new ArrayList<>(List.of("mknod", "-m", Integer.toOctalString(entry.getMode() & 07777),
        target.toString(), type));
    if (!entry.isFIFO()) {
      command.add(String.valueOf(entry.getDevMajor()));
      command.add(String.valueOf(entry.getDevMinor()));
    }
    run(command);
  }

  private static void run(List<String> command) throws IOException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
  }

  private Path resolveInside(String name) {
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new InvalidContentException("layer entry '" + name + "' points outside the root");
    }
    return target;
  }

  /** Every existing ancestor of {@code target} inside the root must be a real directory, not a symlink. */
  private void checkParents(Path target, String name) {
    for (Path current = target.getParent(); current != null && !current.equals(root); current = current.getParent()) {
      if (Files.isSymbolicLink(current)) {
        throw new InvalidContentException("layer entry '" + name + "' would be written through the symlink '"
            + root.relativize(current) + "'");
      }
    }
  }

  private static String clean(String name) {
    String out = name;
    while (out.startsWith("./") || out.startsWith("/")) {
      out = out.startsWith("/") ? out.substring(1) : out.substring(2);
    }
    for (String part : out.split("/")) {
      if (part.equals("..")) {
        throw new InvalidContentException("layer entry '" + name + "' points outside the root");
      }
    }
    return out.endsWith("/") ? out.substring(0, out.length() - 1) : out;
  }

  private static void emptyDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> children = Files.list(directory)) {
      for (Path child : children.toList()) {
        deleteRecursively(child);
      }
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          try {
            Files.deleteIfExists(p);
          } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
            throw new IOException("cannot delete " + p, e);
          }
        }
      }
    } else {
      Files.delete(path);
    }
  }
}
