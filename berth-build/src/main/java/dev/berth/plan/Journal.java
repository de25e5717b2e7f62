package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of every image of a tree, kept under {@code .berth/} in the tree, in the manner of
 * DiskLruCache: every transition is appended to {@code journal.log} as one JSON line with its time
 * (the log is also the tree's build history); {@link #close} writes {@code state.json} atomically with
 * the log offset it covers. On open, the snapshot is read and the log replayed from that offset, so a
 * crash loses nothing that was written. A log past {@value #COMPACT_BYTES} bytes is emptied at close. What was
 * last built for each image (key, inputs, base) is kept too, so a plan can say why an image must be
 * built again.
 */
public final class Journal implements AutoCloseable {
  private static final String SNAPSHOT = "state.json";
  private static final String LOG = "journal.log";
  static final long COMPACT_BYTES = 16L << 20;

  private final Path directory;
  private final Clock clock;
  private final Map<String, Entry> entries;
  private FileChannel log;
  private OutputStream logStream;
  private boolean interrupted;
  private String run;

  /** One image's record. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Entry(
      @JsonProperty("state") ImageState state,
      @JsonProperty("key") String key,
      @JsonProperty("reason") String reason,
      @JsonProperty("cause") String cause,
      @JsonProperty("updated") String updated,
      @JsonProperty("lastBuilt") BuildRecord lastBuilt,
      @JsonProperty("verifiedKey") String verifiedKey,
      @JsonProperty("publishedKey") String publishedKey,
      @JsonProperty("worker") String worker) {}

  /** What an image was last built from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BuildRecord(
      @JsonProperty("key") String key,
      @JsonProperty("base") String base,
      @JsonProperty("spec") String specDigest,
      @JsonProperty("inputs") Map<String, String> inputs,
      @JsonProperty("version") String version) {}

  /**
   * One step of an image's build: its place and label, whether its layer came from the step cache
   * (or was written ahead), when it started and how long it took.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StepRecord(
      @JsonProperty("index") int index,
      @JsonProperty("label") String label,
      @JsonProperty("cached") boolean cached,
      @JsonProperty("started") String started,
      @JsonProperty("millis") long millis) {}

  /**
   * One line of the log: a transition, a build record or a step's timing. {@code run} names the run
   * (the time its journal first wrote), so that a report can tell the last run from earlier ones.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LogLine(
      @JsonProperty("time") String time,
      @JsonProperty("image") String image,
      @JsonProperty("state") ImageState state,
      @JsonProperty("key") String key,
      @JsonProperty("reason") String reason,
      @JsonProperty("cause") String cause,
      @JsonProperty("built") BuildRecord built,
      @JsonProperty("worker") String worker,
      @JsonProperty("step") StepRecord step,
      @JsonProperty("run") String run) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Document(@JsonProperty("logOffset") long logOffset, @JsonProperty("images") Map<String, Entry> images) {}

  private Journal(Path directory, Clock clock, Map<String, Entry> entries) {
    this.directory = directory;
    this.clock = clock;
    this.entries = entries;
  }

  /** Reads the tree's journal (snapshot, then log) without writing anything. */
  public static Journal open(Path tree, Clock clock) throws IOException {
    return openIn(tree.resolve(".berth"), clock);
  }

  /**
   * The journal of one platform of a multi-platform run: the same image names built for another
   * platform have states of their own, under {@code .berth/platforms/OS-ARCH[-VARIANT]}.
   */
  public static Journal open(Path tree, dev.berth.oci.Platform platform, Clock clock) throws IOException {
    return openIn(tree.resolve(".berth").resolve("platforms").resolve(platform.toString().replace('/', '-')), clock);
  }

  private static Journal openIn(Path directory, Clock clock) throws IOException {
    Map<String, Entry> entries = new TreeMap<>();
    Path snapshot = directory.resolve(SNAPSHOT);
    long offset = 0;
    if (Files.isRegularFile(snapshot)) {
      try {
        Document document = Json.read(Files.readAllBytes(snapshot), Document.class);
        if (document.images() != null) {
          entries.putAll(document.images());
        }
        offset = document.logOffset();
      } catch (RuntimeException corrupt) {
        throw new IOException(snapshot + " is unreadable; remove it to start afresh");
      }
    }
    Journal journal = new Journal(directory, clock, entries);
    Path logFile = directory.resolve(LOG);
    if (Files.isRegularFile(logFile) && Files.size(logFile) > offset) {
      List<String> lines;
      try (FileChannel channel = FileChannel.open(logFile, StandardOpenOption.READ)) {
        channel.position(Files.size(logFile) >= offset ? offset : 0);
        lines = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).lines().toList();
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (line.isBlank()) {
          continue;
        }
        try {
          journal.apply(Json.read(line.getBytes(StandardCharsets.UTF_8), LogLine.class));
        } catch (RuntimeException torn) {
          if (i < lines.size() - 1) {
            throw new IOException(logFile + ":" + (i + 1) + " is corrupt; remove .berth/ to start afresh");
          }
          // the last line was cut short by a crash: what it said never happened
        }
      }
    }
    return journal;
  }

  public synchronized Optional<Entry> entry(String image) {
    return Optional.ofNullable(entries.get(image));
  }

  public synchronized Map<String, Entry> entries() {
    return Map.copyOf(entries);
  }

  /** One transition from the log. */
  public record Transition(String time, String image, ImageState state, String key, String worker) {}

  /** Every transition the log still holds, oldest first (the log is emptied only when it grows large). */
  public synchronized List<Transition> history() throws IOException {
    return lines().stream().filter(line -> line.state() != null)
        .map(line -> new Transition(line.time(), line.image(), line.state(), line.key(), line.worker())).toList();
  }

  /** Every line the log still holds, oldest first, without the last one if a crash cut it short. */
  public synchronized List<LogLine> lines() throws IOException {
    Path logFile = directory.resolve(LOG);
    if (!Files.isRegularFile(logFile)) {
      return List.of();
    }
    List<LogLine> out = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(logFile, StandardCharsets.UTF_8)) {
      try {
        out.add(Json.read(line.getBytes(StandardCharsets.UTF_8), LogLine.class));
      } catch (RuntimeException torn) {
        // a line cut short by a crash
      }
    }
    return out;
  }

  /** The tree's journal file ({@code .berth/journal.log}), present or not. */
  public static Path logFile(Path tree) {
    return tree.resolve(".berth").resolve(LOG);
  }

  /** The tree's journal snapshot ({@code .berth/state.json}), present or not. */
  public static Path snapshotFile(Path tree) {
    return tree.resolve(".berth").resolve(SNAPSHOT);
  }

  /** The size of the tree's journal file: where the lines of a run starting now will begin. */
  public static long logOffset(Path tree) throws IOException {
    Path file = logFile(tree);
    return Files.isRegularFile(file) ? Files.size(file) : 0;
  }

  /**
   * The lines written to the tree's journal from {@code offset} on, or empty when the log was
   * emptied since (compacted), so that what was written after the offset is not known.
   */
  public static Optional<List<LogLine>> linesAfter(Path tree, long offset) throws IOException {
    Path file = logFile(tree);
    if (!Files.isRegularFile(file)) {
      return offset == 0 ? Optional.of(List.of()) : Optional.empty();
    }
    if (Files.size(file) < offset) {
      return Optional.empty();
    }
    List<LogLine> out = new java.util.ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(offset);
      String text = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
      for (String line : text.lines().toList()) {
        if (!line.isBlank()) {
          out.add(Json.read(line.getBytes(StandardCharsets.UTF_8), LogLine.class));
        }
      }
    } catch (RuntimeException torn) {
      return Optional.empty();
    }
    return Optional.of(out);
  }

  /** Records a transition; {@code cause} only for failures. */
  public synchronized void transition(String image, ImageState state, String key, String reason, String cause) {
    transition(image, state, key, reason, cause, null);
  }

  /** Records a transition done on a fleet worker (its engine's URL); the entry keeps the last worker named. */
  public synchronized void transition(String image, ImageState state, String key, String reason, String cause,
      String worker) {
    append(new LogLine(now(), image, state, key, reason, cause, null, worker, null, run()));
  }

  public synchronized void recordBuild(String image, BuildRecord record) {
    append(new LogLine(now(), image, null, null, null, null, record, null, null, run()));
  }

  /** Records how long one step of an image's build took. */
  public synchronized void recordStep(String image, StepRecord step) {
    append(new LogLine(now(), image, null, null, null, null, null, null, step, run()));
  }

  private String now() {
    return clock.instant().toString();
  }

  private String run() {
    if (run == null) {
      run = now();
    }
    return run;
  }

  private void apply(LogLine line) {
    if (line.step() != null) {
      return;
    }
    Entry previous = entries.get(line.image());
    if (line.built() != null) {
      if (previous != null) {
        entries.put(line.image(), new Entry(previous.state(), previous.key(), previous.reason(), previous.cause(),
            previous.updated(), line.built(), previous.verifiedKey(), previous.publishedKey(), previous.worker()));
      }
      return;
    }
    ImageState state = line.state();
    entries.put(line.image(), new Entry(state, line.key(),
        line.reason() != null ? line.reason() : previous == null ? null : previous.reason(),
        line.cause(), line.time(),
        previous == null ? null : previous.lastBuilt(),
        state == ImageState.VERIFIED ? line.key() : previous == null ? null : previous.verifiedKey(),
        state == ImageState.PUBLISHED ? line.key() : previous == null ? null : previous.publishedKey(),
        line.worker() != null ? line.worker() : state == ImageState.PLANNED || previous == null ? null
            : previous.worker()));
  }

  /**
   * berth is being stopped: every image not finished (planned, or building, verifying, publishing)
   * is recorded as interrupted, the state is saved, and later transitions (the stopped steps
   * failing) are ignored.
   */
  public synchronized void interrupt() throws IOException {
    for (Map.Entry<String, Entry> entry : Map.copyOf(entries).entrySet()) {
      ImageState state = entry.getValue().state();
      if (state == ImageState.PLANNED || state == ImageState.BUILDING || state == ImageState.VERIFYING
          || state == ImageState.PUBLISHING) {
        transition(entry.getKey(), ImageState.INTERRUPTED, entry.getValue().key(), null, "berth was interrupted");
      }
    }
    close();
    interrupted = true;
  }

  /** Whether {@link #interrupt} was called: this run is being stopped. */
  public synchronized boolean interrupted() {
    return interrupted;
  }

  private void append(LogLine line) {
    if (interrupted) {
      return;
    }
    apply(line);
    try {
      if (logStream == null) {
        Files.createDirectories(directory);
        log = FileChannel.open(directory.resolve(LOG), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
        logStream = Channels.newOutputStream(log);
      }
      byte[] bytes = Json.canonical(line);
      byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      withNewline[bytes.length] = '\n';
      logStream.write(withNewline);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal under " + directory, e);
    }
  }

  /** Writes state.json (atomically) covering the whole log; empties a log grown too large. */
  @Override
  public synchronized void close() throws IOException {
    if (logStream == null) {
      return;
    }
    log.force(true);
    boolean compact = log.size() > COMPACT_BYTES;
    long covered = compact ? 0 : log.size();
    Path temp = directory.resolve(SNAPSHOT + ".tmp-" + ProcessHandle.current().pid());
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(Json.pretty(new Document(covered, new TreeMap<>(entries)))));
      channel.force(true);
    }
    Files.move(temp, directory.resolve(SNAPSHOT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (compact) {
      log.truncate(0);
      log.force(true);
    }
    log.close();
    logStream = null;
  }
}
