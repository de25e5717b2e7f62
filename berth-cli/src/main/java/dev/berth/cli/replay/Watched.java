package dev.berth.cli.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * One path a recorded run depended on, as {@code lstat} saw it: its type, size, mode, inode, and its
 * modification and change times in nanoseconds. A directory's times move when an entry is added,
 * removed or renamed in it; a file's when it is written; the change time also when it is chmod-ed,
 * renamed or touched back to an old time, which no user can set.
 *
 * @param kind {@code d} directory, {@code f} file, {@code l} symbolic link, {@code o} other, {@code -} absent
 */
record Watched(String path, char kind, long size, int mode, long inode, long modifiedNanos, long changedNanos) {
  private static final String ATTRIBUTES = "unix:size,mode,ino,lastModifiedTime,ctime,isDirectory,isRegularFile,isSymbolicLink";

  static final char ABSENT = '-';

  /** {@code path} as it is now. */
  static Watched of(Path path) throws IOException {
    Map<String, Object> stat;
    try {
      stat = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException gone) {
      return new Watched(path.toString(), ABSENT, 0, 0, 0, 0, 0);
    }
    char kind = (Boolean) stat.get("isDirectory") ? 'd' : (Boolean) stat.get("isRegularFile") ? 'f'
        : (Boolean) stat.get("isSymbolicLink") ? 'l' : 'o';
    return new Watched(path.toString(), kind, (Long) stat.get("size"), (Integer) stat.get("mode"),
        (Long) stat.get("ino"), nanos((FileTime) stat.get("lastModifiedTime")), nanos((FileTime) stat.get("ctime")));
  }

  /**
   * Whether the path still is exactly as it was recorded. (Compared field by field: a record's
   * generated {@code equals} would spin up method handles, which the fast path cannot afford.)
   */
  boolean unchanged() {
    Watched now;
    try {
      now = of(Path.of(path));
    } catch (IOException e) {
      return false;
    }
    return now.kind == kind && now.size == size && now.mode == mode && now.inode == inode
        && now.modifiedNanos == modifiedNanos && now.changedNanos == changedNanos;
  }

  /** Whether it was modified or changed at or after {@code nanos} (epoch nanoseconds). */
  boolean touchedSince(long nanos) {
    return kind != ABSENT && (modifiedNanos >= nanos || changedNanos >= nanos);
  }

  private static long nanos(FileTime time) {
    return time.to(java.util.concurrent.TimeUnit.NANOSECONDS);
  }
}
