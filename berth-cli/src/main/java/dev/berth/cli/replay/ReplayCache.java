package dev.berth.cli.replay;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where recordings live: {@code ${XDG_CACHE_HOME:-~/.cache}/berth/replay/<hash of the key>}, one
 * file each, written to a temporary name and renamed into place, so a reader sees a whole recording
 * or none. A recording holds a command's arguments, output and paths, so the folder is the user's
 * alone (0700) and each file too (0600), as Docker keeps its config.json; it holds no credential
 * (see {@link ReplayKey}). At most {@value #KEPT} are kept; the oldest go first. A cache, never a source of truth:
 * removing the directory only makes the next no-op a full run.
 */
public final class ReplayCache {
  static final int KEPT = 64;
  private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private final Path directory;

  public ReplayCache(Path directory) {
    this.directory = directory;
  }

  /** The user's cache, or none when {@code BERTH_REPLAY} is {@code off} (or no home is known). */
  public static Optional<ReplayCache> fromEnvironment(Map<String, String> environment) {
    String switchedOff = environment.getOrDefault("BERTH_REPLAY", "on");
    if (switchedOff.equals("off") || switchedOff.equals("0") || switchedOff.equals("false")) {
      return Optional.empty();
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    String home = environment.get("HOME");
    if ((xdg == null || xdg.isEmpty()) && (home == null || home.isEmpty())) {
      return Optional.empty();
    }
    Path cache = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home, ".cache");
    return Optional.of(new ReplayCache(cache.resolve("berth").resolve("replay")));
  }

  public Path directory() {
    return directory;
  }

  /** The recording made under {@code key}, if any. */
  public Optional<Recording> find(ReplayKey key) {
    try (InputStream file = Files.newInputStream(directory.resolve(key.fileName()));
         DataInputStream in = new DataInputStream(new BufferedInputStream(file, 1 << 16))) {
      return Optional.ofNullable(Recording.read(in, key));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();  // torn or foreign: the run is done in full and records again
    }
  }

  /** Keeps {@code recording}, replacing any under its key, and drops the oldest beyond {@value #KEPT}. */
  public void save(Recording recording) throws IOException {
    Files.createDirectories(directory);
    if (!Files.getPosixFilePermissions(directory).equals(OWNER_ONLY_FOLDER)) {
      Files.setPosixFilePermissions(directory, OWNER_ONLY_FOLDER);
    }
    Path target = directory.resolve(recording.key().fileName());
    Path temp = directory.resolve(target.getFileName().toString().concat(".tmp-")
        .concat(Long.toString(ProcessHandle.current().pid())));
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    try (OutputStream file = Files.newOutputStream(temp, StandardOpenOption.WRITE);
         DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file, 1 << 16))) {
      recording.write(out);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    prune();
  }

  private void prune() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      entries.forEach(files::add);
    }
    if (files.size() <= KEPT) {
      return;
    }
    files.sort(Comparator.comparing(ReplayCache::modified));
    for (Path old : files.subList(0, files.size() - KEPT)) {
      Files.deleteIfExists(old);
    }
  }

  private static long modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException gone) {
      return 0;
    }
  }
}
