package dev.berth.layer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.store.BlobSink;
import dev.berth.store.ContentStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A reproducible tar layer: entries sorted by path, parent directories explicit, one fixed mtime,
 * numeric owners without names. Only the entry list is held in memory; file contents stream from
 * disk straight through the tar writer, the diff-ID hash and the compressor into the store.
 */
public final class LayerBuilder {
  private final Compression compression;
  private final long mtimeEpochSeconds;
  private final TreeMap<String, Entry> entries = new TreeMap<>(LayerBuilder::compareBytes);

  private sealed interface Entry {
    EntryAttributes attributes();
  }

  private record FileEntry(Path source, EntryAttributes attributes) implements Entry {}

  private record DirectoryEntry(EntryAttributes attributes, boolean implicit) implements Entry {}

  private record SymlinkEntry(String target, EntryAttributes attributes) implements Entry {}

  private record DeviceEntry(byte type, int major, int minor, EntryAttributes attributes) implements Entry {}

  private record EmptyFileEntry(EntryAttributes attributes) implements Entry {}

  /** A second name for a file of the same layer ({@code target}, a normalized path written before it). */
  private record HardLinkEntry(String target, EntryAttributes attributes) implements Entry {}

  /** The owner and mode of a parent directory no entry was given for: 0:0 0755 unless told otherwise. */
  private java.util.function.Function<String, EntryAttributes> parentAttributes =
      path -> new EntryAttributes(null, null, 0755);

  public LayerBuilder(Compression compression, long mtimeEpochSeconds) {
    this.compression = compression;
    this.mtimeEpochSeconds = mtimeEpochSeconds;
  }

  /**
   * How to write parent directories that were not added themselves ({@code path} is relative to the
   * root, without slashes at either end): the owner and mode they have below, for instance.
   */
  public LayerBuilder parentAttributes(java.util.function.Function<String, EntryAttributes> attributes) {
    this.parentAttributes = attributes;
    return this;
  }

  /** {@code imagePath} as a hard link to {@code targetPath}, a file added to this layer. */
  public LayerBuilder addHardLink(String imagePath, String targetPath) {
    return put(imagePath, new HardLinkEntry(normalize(targetPath), EntryAttributes.DEFAULT));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A regular file, or when {@code source} is a symlink, the link itself (never followed). */
  public LayerBuilder addFile(Path source, String imagePath, EntryAttributes attrs) throws IOException {
    return addFile(source, imagePath, attrs, unixMode(source));
  }

  /** {@link #addFile(Path, String, EntryAttributes)} with the file's type and mode bits already read. */
  private LayerBuilder addFile(Path source, String imagePath, EntryAttributes attrs, int unixMode) throws IOException {
    if ((unixMode & S_IFMT) == S_IFLNK) {
      return addSymlink(imagePath, Files.readSymbolicLink(source).toString(), attrs);
    }
    if ((unixMode & S_IFMT) != S_IFREG) {
      throw new IOException(source + " is not a regular file");
    }
    int mode = attrs.mode() != null ? attrs.mode() : unixMode & 07777;
    return put(imagePath, new FileEntry(source, new EntryAttributes(attrs.uid(), attrs.gid(), mode)));
  }

  /**
   * The contents of {@code sourceDir} under {@code imageDir}, recursively; symlinks kept as links. An
   * excluded directory is not added, but what its rules include below it is. Each entry costs one
   * lstat: its type and mode come from the same call.
   */
  public LayerBuilder addTree(Path sourceDir, String imageDir, EntryAttributes attrs, IgnoreRules ignore)
      throws IOException {
    addTreeEntry(sourceDir, "", imageDir, attrs, ignore);
    return this;
  }

  private void addTreeEntry(Path path, String relative, String imageDir, EntryAttributes attrs, IgnoreRules ignore)
      throws IOException {
    int unixMode = unixMode(path);
    boolean directory = (unixMode & S_IFMT) == S_IFDIR;
    if (relative.isEmpty() || !ignore.isExcluded(relative)) {
      String imagePath = relative.isEmpty() ? imageDir : join(imageDir, relative);
      if (directory) {
        int mode = attrs.mode() != null ? attrs.mode() : unixMode & 07777;
        addDirectory(imagePath, new EntryAttributes(attrs.uid(), attrs.gid(), mode));
      } else {
        addFile(path, imagePath, attrs, unixMode);
      }
    }
    if (directory) {
      List<Path> children = new ArrayList<>();
      try (DirectoryStream<Path> list = Files.newDirectoryStream(path)) {
        list.forEach(children::add);
      }
      children.sort(null);
      for (Path child : children) {
        String name = child.getFileName().toString();
        addTreeEntry(child, relative.isEmpty() ? name : relative + "/" + name, imageDir, attrs, ignore);
      }
    }
  }

  public LayerBuilder addDirectory(String imagePath, EntryAttributes attrs) {
    return put(imagePath, new DirectoryEntry(withDefaultMode(attrs, 0755), false));
  }

  public LayerBuilder addSymlink(String imagePath, String target, EntryAttributes attrs) {
    return put(imagePath, new SymlinkEntry(target, new EntryAttributes(attrs.uid(), attrs.gid(), 0777)));
  }

  /** A whiteout: {@code imagePath} is deleted from the layers below. */
  public LayerBuilder addWhiteout(String imagePath) {
    String path = normalize(imagePath);
    int slash = path.lastIndexOf('/');
    String whiteout = slash < 0 ? ".wh." + path : path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1);
    return put(whiteout, new EmptyFileEntry(new EntryAttributes(null, null, 0644)));
  }

  /** {@code imagePath} hides everything the layers below have in it. */
  public LayerBuilder addOpaqueDirectory(String imagePath, EntryAttributes attrs) {
    addDirectory(imagePath, attrs);
    return put(join(normalize(imagePath), ".wh..wh..opq"), new EmptyFileEntry(new EntryAttributes(null, null, 0644)));
  }

  /** A character ('c') or block ('b') device node. */
  public LayerBuilder addDeviceNode(String imagePath, char type, int major, int minor, EntryAttributes attrs) {
    byte flag = switch (type) {
      case 'c' -> TarConstants.LF_CHR;
      case 'b' -> TarConstants.LF_BLK;
      default -> throw new IllegalArgumentException("device type is 'c' or 'b', not '" + type + "'");
    };
    return put(imagePath, new DeviceEntry(flag, major, minor, withDefaultMode(attrs, 0666)));
  }

  private LayerBuilder put(String imagePath, Entry entry) {
    String path = normalize(imagePath);
    if (path.isEmpty()) {
      return this;
    }
    entries.put(path, entry);
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      String parent = path.substring(0, slash);
      if (!entries.containsKey(parent)) {
        entries.put(parent, new DirectoryEntry(withDefaultMode(parentAttributes.apply(parent), 0755), true));
      }
    }
    return this;
  }

  /** Writes the layer into the store in one pass and returns its descriptor and diff ID. */
  public LayerBlob writeTo(ContentStore store) throws IOException {
    try (BlobSink sink = store.newBlob()) {
      Digest diffId = writeTar(sink);
      long size = sink.size();
      Digest digest = sink.commit(null);
      return new LayerBlob(new Descriptor(compression.mediaType(), digest, size), diffId);
    }
  }

  /** Writes the compressed layer to {@code out} (left open) and returns its diff ID and digest. */
  public LayerBlob writeTo(OutputStream out) throws IOException {
    MessageDigest compressedHash = Digest.newSha256();
    HashingOutputStream hashed = new HashingOutputStream(out, compressedHash, false);
    Digest diffId = writeTar(hashed);
    return new LayerBlob(new Descriptor(compression.mediaType(),
        Digest.fromHash("sha256", compressedHash.digest()), hashed.count()), diffId);
  }

  /**
   * Writes the tar through the diff-ID hash into the compressor and on to {@code destination} (left
   * open). The tar writer hands over whole 10 KiB records, which the compressors buffer themselves;
   * only the uncompressed layer is buffered here, so that it is not written 10 KiB at a time.
   */
  private Digest writeTar(OutputStream destination) throws IOException {
    MessageDigest diffId = Digest.newSha256();
    OutputStream compressed = LayerStreams.compress(new HashingOutputStream(destination, null, false), compression);
    if (compression == Compression.NONE) {
      compressed = new BufferedOutputStream(compressed, 1 << 16);
    }
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new HashingOutputStream(compressed, diffId, true),
        StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      for (Map.Entry<String, Entry> item : entries.entrySet()) {
        writeEntry(tar, item.getKey(), item.getValue(), buffer);
      }
      tar.finish();
    }
    return Digest.fromHash("sha256", diffId.digest());
  }

  private void writeEntry(TarArchiveOutputStream tar, String path, Entry entry, ByteBuffer buffer) throws IOException {
    if (!(entry instanceof FileEntry file)) {
      tar.putArchiveEntry(header(path, entry));
      tar.closeArchiveEntry();
      return;
    }
    // the size is the open file's (fstat), so that it and the bytes read are of the same file
    try (FileChannel content = FileChannel.open(file.source(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      TarArchiveEntry header = header(path, entry);
      long expected = content.size();
      header.setSize(expected);
      tar.putArchiveEntry(header);
      long written = 0;
      int n;
      while (written < expected
          && (n = content.read(buffer.clear().limit((int) Math.min(buffer.capacity(), expected - written)))) > 0) {
        tar.write(buffer.array(), 0, n);
        written += n;
      }
      if (written != expected) {
        throw new IOException(file.source() + " changed size while it was written into a layer");
      }
      tar.closeArchiveEntry();
    }
  }

  /** The tar header of an entry; a file's size is set by the caller. */
  private TarArchiveEntry header(String path, Entry entry) {
    TarArchiveEntry header;
    if (entry instanceof DirectoryEntry) {
      header = new TarArchiveEntry(path + "/", TarConstants.LF_DIR, true);
      header.setMode(040000 | entry.attributes().mode());
    } else if (entry instanceof SymlinkEntry link) {
      header = new TarArchiveEntry(path, TarConstants.LF_SYMLINK, true);
      header.setLinkName(link.target());
      header.setMode(0120777);
    } else if (entry instanceof DeviceEntry device) {
      header = new TarArchiveEntry(path, device.type(), true);
      header.setDevMajor(device.major());
      header.setDevMinor(device.minor());
      header.setMode((device.type() == TarConstants.LF_CHR ? 020000 : 060000) | entry.attributes().mode());
    } else if (entry instanceof HardLinkEntry link) {
      Entry target = entries.get(link.target());
      header = new TarArchiveEntry(path, TarConstants.LF_LINK, true);
      header.setLinkName(link.target());
      header.setMode(0100000 | target.attributes().mode());
      entry = target;
    } else {
      header = new TarArchiveEntry(path, TarConstants.LF_NORMAL, true);
      header.setMode(0100000 | entry.attributes().mode());
      header.setSize(0);
    }
    header.setModTime(new Date(mtimeEpochSeconds * 1000));
    header.setUserId(entry.attributes().uid() == null ? 0 : entry.attributes().uid());
    header.setGroupId(entry.attributes().gid() == null ? 0 : entry.attributes().gid());
    header.setUserName("");
    header.setGroupName("");
    return header;
  }

  private static EntryAttributes withDefaultMode(EntryAttributes attrs, int mode) {
    return attrs.mode() != null ? attrs : new EntryAttributes(attrs.uid(), attrs.gid(), mode);
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;

  /** st_mode of {@code path} itself (never followed): its type and permission bits from one lstat. */
  private static int unixMode(Path path) throws IOException {
    return (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  static String normalize(String imagePath) {
    if (isNormal(imagePath)) {
      return imagePath;  // what the rules below would return unchanged, found without split or regex
    }
    String path = imagePath;  // a backslash is part of a Linux file name
    while (path.startsWith("/") || path.startsWith("./")) {
      path = path.startsWith("/") ? path.substring(1) : path.substring(2);
    }
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        throw new IllegalArgumentException("image path '" + imagePath + "' leaves the root");
      }
    }
    return path.replaceAll("/+", "/").replace("/./", "/");
  }

  /** No slash at either end, no empty, "." or ".." component: {@link #normalize} would change nothing. */
  private static boolean isNormal(String path) {
    int length = path.length();
    if (length == 0 || path.charAt(0) == '/' || path.charAt(length - 1) == '/') {
      return length == 0;
    }
    int start = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || path.charAt(i) == '/') {
        int part = i - start;
        if (part == 0 || (part <= 2 && path.charAt(start) == '.' && (part == 1 || path.charAt(start + 1) == '.'))) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  private static String join(String directory, String relative) {
    String dir = normalize(directory);
    return dir.isEmpty() ? relative : dir + "/" + relative;
  }

  private static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }
}
