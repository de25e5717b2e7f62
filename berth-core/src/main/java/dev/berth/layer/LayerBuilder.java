package dev.berth.layer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.store.BlobSink;
import dev.berth.store.ContentStore;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
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
    if (Files.isSymbolicLink(source)) {
      return addSymlink(imagePath, Files.readSymbolicLink(source).toString(), attrs);
    }
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(source + " is not a regular file");
    }
    int mode = attrs.mode() != null ? attrs.mode() : permissions(source);
    return put(imagePath, new FileEntry(source, new EntryAttributes(attrs.uid(), attrs.gid(), mode)));
  }

  /** The contents of {@code sourceDir} under {@code imageDir}, recursively; symlinks kept as links. */
  public LayerBuilder addTree(Path sourceDir, String imageDir, EntryAttributes attrs, IgnoreRules ignore)
      throws IOException {
    try (Stream<Path> walk = Files.walk(sourceDir)) {
      for (Path path : (Iterable<Path>) walk.sorted()::iterator) {
        String relative = sourceDir.relativize(path).toString();
        if (!relative.isEmpty() && ignore.isExcluded(relative)) {
          continue;
        }
        String imagePath = relative.isEmpty() ? imageDir : join(imageDir, relative);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          int mode = attrs.mode() != null ? attrs.mode() : permissions(path);
          addDirectory(imagePath, new EntryAttributes(attrs.uid(), attrs.gid(), mode));
        } else {
          addFile(path, imagePath, attrs);
        }
      }
    }
    return this;
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
    CountingStream counting = new CountingStream(new DigestOutputStream(out, compressedHash));
    Digest diffId = writeTar(counting);
    return new LayerBlob(new Descriptor(compression.mediaType(),
        Digest.fromHash("sha256", compressedHash.digest()), counting.count), diffId);
  }

  private Digest writeTar(OutputStream destination) throws IOException {
    MessageDigest diffId = Digest.newSha256();
    OutputStream compressed = LayerStreams.compress(new CountingStream(destination) {
      @Override
      public void close() throws IOException {
        flush();
      }
    }, compression);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
        new BufferedOutputStream(new DigestOutputStream(compressed, diffId), 1 << 16),
        StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      tar.setAddPaxHeadersForNonAsciiNames(true);
      byte[] buffer = new byte[1 << 16];
      for (Map.Entry<String, Entry> item : entries.entrySet()) {
        writeEntry(tar, item.getKey(), item.getValue(), buffer);
      }
      tar.finish();
    }
    return Digest.fromHash("sha256", diffId.digest());
  }

  private void writeEntry(TarArchiveOutputStream tar, String path, Entry entry, byte[] buffer) throws IOException {
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
    } else if (entry instanceof FileEntry file) {
      header = new TarArchiveEntry(path, TarConstants.LF_NORMAL, true);
      header.setMode(0100000 | entry.attributes().mode());
      header.setSize(Files.size(file.source()));
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
    tar.putArchiveEntry(header);
    if (entry instanceof FileEntry file && header.isFile() && !header.isLink()) {
      long expected = header.getSize();
      long written = 0;
      try (InputStream in = Files.newInputStream(file.source(), LinkOption.NOFOLLOW_LINKS)) {
        int n;
        while (written < expected && (n = in.read(buffer, 0, (int) Math.min(buffer.length, expected - written))) > 0) {
          tar.write(buffer, 0, n);
          written += n;
        }
      }
      if (written != expected) {
        throw new IOException(file.source() + " changed size while it was written into a layer");
      }
    }
    tar.closeArchiveEntry();
  }

  private static EntryAttributes withDefaultMode(EntryAttributes attrs, int mode) {
    return attrs.mode() != null ? attrs : new EntryAttributes(attrs.uid(), attrs.gid(), mode);
  }

  private static int permissions(Path path) throws IOException {
    return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
  }

  static String normalize(String imagePath) {
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

  private static String join(String directory, String relative) {
    String dir = normalize(directory);
    return dir.isEmpty() ? relative : dir + "/" + relative;
  }

  private static int compareBytes(String a, String b) {
    byte[] x = a.getBytes(StandardCharsets.UTF_8);
    byte[] y = b.getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.compareUnsigned(x, y);
  }

  private static class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
