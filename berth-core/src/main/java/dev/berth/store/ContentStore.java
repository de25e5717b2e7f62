package dev.berth.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The local content store: an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/…}) that skopeo, umoci and podman read as it is.
 *
 * <p>Blobs are written to a temporary file, fsynced, verified and renamed into place, so a crash
 * never leaves a partial blob under a digest name. {@code index.json} is rewritten the same way under
 * an exclusive file lock, so several berth processes can share one store. Use one instance per store
 * directory in a process.
 */
public final class ContentStore {
  private static final String LAYOUT = "{\"imageLayoutVersion\":\"1.0.0\"}";
  private static final String TEMP_DIR = ".berth-tmp";

  private final Path root;

  private ContentStore(Path root) {
    this.root = root;
  }

  /** Opens the store at {@code root}, creating an empty layout when the directory has none. */
  public static ContentStore open(Path root) throws IOException {
    Path absolute = root.toAbsolutePath().normalize();
    Files.createDirectories(absolute.resolve("blobs").resolve("sha256"));
    ContentStore store = new ContentStore(absolute);
    Path layout = absolute.resolve("oci-layout");
    if (!Files.exists(layout)) {
      store.writeAtomically(layout, LAYOUT.getBytes(StandardCharsets.UTF_8));
    }
    if (!Files.exists(absolute.resolve("index.json"))) {
      store.withIndexLock(() -> {
        if (!Files.exists(absolute.resolve("index.json"))) {
          store.writeIndex(List.of());
        }
        return null;
      });
    }
    return store;
  }

  /** Opens an existing OCI layout (such as {@code oci:DIR}) without creating anything in it. */
  public static ContentStore openExisting(Path root) throws IOException {
    Path absolute = root.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute.resolve("oci-layout")) || !Files.isRegularFile(absolute.resolve("index.json"))) {
      throw new NoSuchFileException(absolute.toString(), null, "not an OCI image layout (no oci-layout or index.json)");
    }
    return new ContentStore(absolute);
  }

  /** The default store: {@code $BERTH_STORE}, else {@code ${XDG_CACHE_HOME:-~/.cache}/berth/store}. */
  public static Path defaultLocation(Map<String, String> environment) {
    String explicit = environment.get("BERTH_STORE");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String cache = environment.get("XDG_CACHE_HOME");
    Path base = cache != null && !cache.isBlank()
        ? Path.of(cache)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("berth").resolve("store");
  }

  public Path root() {
    return root;
  }

  // ---- blobs

  public Path blobPath(Digest digest) {
    return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  public boolean hasBlob(Digest digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  public long blobSize(Digest digest) throws IOException {
    return Files.size(blobPath(digest));
  }

  public InputStream openBlob(Digest digest) throws IOException {
    try {
      return Files.newInputStream(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  public byte[] readBlob(Digest digest) throws IOException {
    try {
      return Files.readAllBytes(blobPath(digest));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(digest);
    }
  }

  /** A sink for a new blob; commit it to make it visible, or close it to throw it away. */
  public BlobSink newBlob() throws IOException {
    try {
      return new BlobSink(this, tempDirectory().resolve(tempName("blob")));
    } catch (IOException e) {
      throw StoreFullException.translate(e, root, "a blob");
    }
  }

  public Descriptor writeBlob(String mediaType, byte[] content) throws IOException {
    Digest digest = Digest.sha256(content);
    if (!hasBlob(digest)) {
      try (BlobSink sink = newBlob()) {
        sink.write(content);
        sink.commit(digest);
      }
    }
    return new Descriptor(mediaType, digest, content.length);
  }

  /** Copies {@code in} into the store, checking it against {@code expected} when that is given. */
  public Digest writeBlob(InputStream in, Digest expected) throws IOException {
    try (BlobSink sink = newBlob()) {
      in.transferTo(sink);
      return sink.commit(expected);
    }
  }

  /**
   * A unique name for a temporary file of this process: {@code PREFIX-PID-UUID}, so that what a
   * dead process left can be told from what a live one is writing.
   */
  public static String tempName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
  }

  /** Where blobs and index files are written before they are renamed into place (same file system). */
  public Path tempDirectory() throws IOException {
    return Files.createDirectories(root.resolve(TEMP_DIR));
  }

  void moveIntoPlace(Path temp, Digest digest) throws IOException {
    Path target = blobPath(digest);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      Files.delete(temp);
      return;
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(temp);
    }
    syncDirectory(target.getParent());
  }

  // ---- index.json: the named images

  /** Every manifest or index the store names, as recorded in index.json. */
  public List<Descriptor> references() throws IOException {
    return readIndex();
  }

  public Optional<Descriptor> resolve(String refName) throws IOException {
    return Optional.ofNullable(indexSnapshot().byName().get(refName));
  }

  /** Names {@code target} (a manifest or index already in the store) as {@code refName}. */
  public void tag(String refName, Descriptor target) throws IOException {
    if (!hasBlob(target.digest())) {
      throw new BlobNotFoundException(target.digest());
    }
    Descriptor named = target.withoutAnnotations().withAnnotation(Descriptor.REF_NAME, refName);
    updateIndex(entries -> {
      List<Descriptor> updated = new ArrayList<>();
      for (Descriptor entry : entries) {
        if (!refName.equals(entry.annotations().get(Descriptor.REF_NAME))) {
          updated.add(entry);
        }
      }
      updated.add(named);
      return updated;
    });
  }

  /** Removes the name; returns whether it existed. The blobs stay until {@link #gc}. */
  public boolean untag(String refName) throws IOException {
    boolean[] removed = {false};
    updateIndex(entries -> {
      List<Descriptor> updated = new ArrayList<>();
      for (Descriptor entry : entries) {
        if (refName.equals(entry.annotations().get(Descriptor.REF_NAME))) {
          removed[0] = true;
        } else {
          updated.add(entry);
        }
      }
      return updated;
    });
    return removed[0];
  }

  /** index.json as last read, with the stat that tells whether it changed since. */
  private record IndexSnapshot(Object fileKey, long size, java.nio.file.attribute.FileTime modified,
      List<Descriptor> entries, java.util.Map<String, Descriptor> byName) {
    /** {@code entries}, and each name's first entry (as a search in order finds it). */
    static IndexSnapshot of(Object fileKey, long size, java.nio.file.attribute.FileTime modified,
        List<Descriptor> entries) {
      java.util.Map<String, Descriptor> byName = new java.util.HashMap<>();
      for (Descriptor entry : entries) {
        String name = entry.annotations().get(Descriptor.REF_NAME);
        if (name != null) {
          byName.putIfAbsent(name, entry);
        }
      }
      return new IndexSnapshot(fileKey, size, modified, entries, java.util.Collections.unmodifiableMap(byName));
    }
  }

  private volatile IndexSnapshot indexSnapshot;

  private List<Descriptor> readIndex() throws IOException {
    return indexSnapshot().entries();
  }

  private IndexSnapshot indexSnapshot() throws IOException {
    Path file = root.resolve("index.json");
    var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    IndexSnapshot cached = indexSnapshot;
    if (cached != null && java.util.Objects.equals(cached.fileKey(), attributes.fileKey())
        && cached.size() == attributes.size() && cached.modified().equals(attributes.lastModifiedTime())) {
      return cached;
    }
    List<Descriptor> entries;
    try {
      entries = ImageIndex.parse(Files.readAllBytes(file)).manifests();
    } catch (dev.berth.oci.InvalidContentException e) {
      throw new dev.berth.oci.InvalidContentException(file + ": " + e.getMessage());
    }
    IndexSnapshot read = IndexSnapshot.of(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), entries);
    indexSnapshot = read;
    return read;
  }

  private void updateIndex(UnaryOperator<List<Descriptor>> change) throws IOException {
    withIndexLock(() -> {
      writeIndex(change.apply(readIndex()));
      return null;
    });
  }

  private void writeIndex(List<Descriptor> entries) throws IOException {
    List<Descriptor> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(d -> d.annotations().getOrDefault(Descriptor.REF_NAME, "")));
    writeAtomically(root.resolve("index.json"), ImageIndex.oci(sorted).toJson());
  }

  interface IoAction<T> {
    T run() throws IOException;
  }

  /** Runs {@code action} holding the store's index lock, across threads and processes. */
  <T> T withIndexLock(IoAction<T> action) throws IOException {
    try (NamedLock ignored = NamedLock.acquire(root.resolve(".berth-index.lock"))) {
      return action.run();
    }
  }

  /**
   * A shared hold on the store for a command that writes blobs before naming them (build, pull,
   * import): {@link #gc} does not run while any is held, so it cannot delete a blob not yet tagged.
   */
  public Lease lease() throws IOException {
    FileChannel channel = FileChannel.open(root.resolve(".berth-gc.lock"),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      return new Lease(channel, channel.lock(0, Long.MAX_VALUE, true));
    } catch (OverlappingFileLockException alreadyHeldByThisProcess) {
      return new Lease(channel, null);
    }
  }

  /** A held shared lock on the store; see {@link #lease()}. */
  public record Lease(FileChannel channel, FileLock lock) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (lock != null) {
        lock.release();
      }
      channel.close();
    }
  }

  void writeAtomically(Path target, byte[] content) throws IOException {
    Path temp = tempDirectory().resolve(tempName(target.getFileName().toString()));
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(content));
      channel.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw StoreFullException.translate(e, root, target.getFileName().toString());
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    syncDirectory(target.getParent());
  }

  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a directory; the rename is still atomic there.
    }
  }

  // ---- reachability, fsck, gc

  /** The manifest (or index) and every blob it reaches, for a descriptor the index names. */
  public List<Digest> reachableFrom(Descriptor top) throws IOException {
    List<Digest> out = new ArrayList<>();
    collect(top, out);
    return out;
  }

  private void collect(Descriptor descriptor, List<Digest> out) throws IOException {
    out.add(descriptor.digest());
    if (!hasBlob(descriptor.digest())) {
      return;
    }
    if (MediaTypes.isIndex(descriptor.mediaType())) {
      for (Descriptor child : ImageIndex.parse(readBlob(descriptor.digest())).manifests()) {
        collect(child, out);
      }
    } else if (MediaTypes.isManifest(descriptor.mediaType())) {
      ImageManifest manifest = ImageManifest.parse(readBlob(descriptor.digest()));
      out.add(manifest.config().digest());
      for (Descriptor layer : manifest.layers()) {
        out.add(layer.digest());
      }
    }
  }

  /** Re-hashes every blob and checks that everything a name reaches is present. */
  public FsckReport fsck() throws IOException {
    List<Digest> corrupt = new ArrayList<>();
    long checked = 0;
    for (Digest digest : allBlobs()) {
      checked++;
      if (!digest.equals(hashOf(blobPath(digest), digest))) {
        corrupt.add(digest);
      }
    }
    List<FsckReport.Missing> missing = new ArrayList<>();
    for (Descriptor named : readIndex()) {
      String name = named.annotations().getOrDefault(Descriptor.REF_NAME, named.digest().toString());
      try {
        for (Digest digest : reachableFrom(named)) {
          if (!hasBlob(digest)) {
            missing.add(new FsckReport.Missing(name, digest));
          }
        }
      } catch (InvalidContentException e) {
        missing.add(new FsckReport.Missing(name, named.digest()));
      }
    }
    return new FsckReport(checked, corrupt, missing);
  }

  /** Deletes every blob that no name reaches, and stale temporary files. Fails if a lease is held. */
  public GcReport gc() throws IOException {
    try (FileChannel channel = FileChannel.open(root.resolve(".berth-gc.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = tryExclusive(channel)) {
      if (lock == null) {
        throw new StoreBusyException("the store " + root + " is in use by another berth process; try gc later");
      }
      return withIndexLock(() -> {
        java.util.Set<Digest> live = new java.util.HashSet<>();
        for (Descriptor named : readIndex()) {
          live.addAll(reachableFrom(named));
        }
        long freed = 0;
        List<Digest> removed = new ArrayList<>();
        for (Digest digest : allBlobs()) {
          if (!live.contains(digest)) {
            Path path = blobPath(digest);
            freed += Files.size(path);
            Files.delete(path);
            removed.add(digest);
          }
        }
        try (var temps = Files.list(tempDirectory())) {
          for (Path temp : (Iterable<Path>) temps::iterator) {
            freed += Files.size(temp);
            Files.deleteIfExists(temp);
          }
        }
        return new GcReport(removed, freed);
      });
    }
  }

  private static FileLock tryExclusive(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldByThisProcess) {
      return null;
    }
  }

  /** Every blob file in the store whose name is a valid digest. */
  public List<Digest> allBlobs() throws IOException {
    List<Digest> out = new ArrayList<>();
    Path blobs = root.resolve("blobs");
    try (var algorithms = Files.list(blobs)) {
      for (Path algorithmDir : (Iterable<Path>) algorithms::iterator) {
        try (var files = Files.list(algorithmDir)) {
          for (Path file : (Iterable<Path>) files::iterator) {
            try {
              out.add(new Digest(algorithmDir.getFileName().toString(), file.getFileName().toString()));
            } catch (IllegalArgumentException notABlob) {
              // a stray file: not ours to judge
            }
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static Digest hashOf(Path file, Digest like) throws IOException {
    var md = like.newMessageDigest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
    }
    return Digest.fromHash(like.algorithm(), md.digest());
  }

  /** Result of {@link #fsck}. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record FsckReport(
      @JsonProperty("checked") long checked,
      @JsonProperty("corrupt") List<Digest> corrupt,
      @JsonProperty("missing") List<Missing> missing) {
    public boolean clean() {
      return corrupt.isEmpty() && missing.isEmpty();
    }

    public record Missing(@JsonProperty("name") String name, @JsonProperty("digest") Digest digest) {}
  }

  /** Result of {@link #gc}. */
  public record GcReport(List<Digest> removed, long bytesFreed) {}

  /** Thrown when a blob the caller expects is not in the store. */
  public static final class BlobNotFoundException extends IOException {
    public BlobNotFoundException(Digest digest) {
      super("blob " + digest + " is not in the store");
    }
  }

  /** Thrown when an operation needs the store to itself and another process holds it. */
  public static final class StoreBusyException extends IOException {
    public StoreBusyException(String message) {
      super(message);
    }
  }
}
