package dev.berth.engine;

import dev.berth.oci.Digest;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content digests of input files, remembered by (path, size, mtime, inode) so that an unchanged tree
 * is not hashed again. A file whose stat changed is hashed afresh; a cache file that cannot be read is
 * ignored (it is only a cache). Saved atomically, one tab-separated line per file.
 */
public final class FileDigestCache implements InputCollector.FileDigests {
  private record Stat(long size, long mtimeNanos, Object inode) {}

  private record Known(Stat stat, Digest digest) {}

  private final Path file;
  private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Known> used = new ConcurrentHashMap<>();
  private volatile boolean dirty;

  private FileDigestCache(Path file) {
    this.file = file;
  }

  public static FileDigestCache open(Path file) {
    FileDigestCache cache = new FileDigestCache(file);
    if (Files.isRegularFile(file)) {
      try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = reader.readLine()) != null) {
          String[] fields = line.split("\t");
          if (fields.length == 5) {
            cache.known.put(fields[0], new Known(new Stat(Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                fields[3]), Digest.parse(fields[4])));
          }
        }
      } catch (IOException | RuntimeException unreadable) {
        cache.known.clear();
      }
    }
    return cache;
  }

  @Override
  public Digest digestOf(Path path, PosixFileAttributes attributes) throws IOException {
    String key = path.toAbsolutePath().toString();
    Stat stat = new Stat(attributes.size(), attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
        String.valueOf(attributes.fileKey()));
    Known hit = known.get(key);
    if (hit != null && hit.stat().equals(stat)) {
      used.put(key, hit);
      return hit.digest();
    }
    Digest digest = InputCollector.FileDigests.sha256(path);
    PosixFileAttributes after = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (after.lastModifiedTime().equals(attributes.lastModifiedTime()) && after.size() == attributes.size()) {
      Known fresh = new Known(stat, digest);
      known.put(key, fresh);
      used.put(key, fresh);
      dirty = true;
    }
    return digest;
  }

  /** Writes the entries of the files seen in this run (so deleted files drop out). */
  public void save() throws IOException {
    if (!dirty && used.size() == known.size()) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
      for (var entry : used.entrySet()) {
        Known value = entry.getValue();
        writer.write(entry.getKey() + "\t" + value.stat().size() + "\t" + value.stat().mtimeNanos() + "\t"
            + value.stat().inode() + "\t" + value.digest() + "\n");
      }
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
