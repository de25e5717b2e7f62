package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state of every image of a tree, kept under {@code .berth/} in the tree: {@code state.json}
 * (rewritten atomically on every transition) and {@code journal.log} (one line per transition, with
 * its time). What was last built for each image (key, inputs, base) is kept too, so a plan can say
 * why an image must be built again.
 */
public final class Journal {
  private final Path directory;
  private final Clock clock;
  private final Map<String, Entry> entries;

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
      @JsonProperty("publishedKey") String publishedKey) {}

  /** What an image was last built from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record BuildRecord(
      @JsonProperty("key") String key,
      @JsonProperty("base") String base,
      @JsonProperty("spec") String specDigest,
      @JsonProperty("inputs") Map<String, String> inputs) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Document(@JsonProperty("images") Map<String, Entry> images) {}

  private Journal(Path directory, Clock clock, Map<String, Entry> entries) {
    this.directory = directory;
    this.clock = clock;
    this.entries = entries;
  }

  public static Journal open(Path tree, Clock clock) throws IOException {
    Path directory = tree.resolve(".berth");
    Path state = directory.resolve("state.json");
    Map<String, Entry> entries = new TreeMap<>();
    if (Files.isRegularFile(state)) {
      try {
        Document document = Json.read(Files.readAllBytes(state), Document.class);
        if (document.images() != null) {
          entries.putAll(document.images());
        }
      } catch (RuntimeException corrupt) {
        throw new IOException(state + " is unreadable (" + corrupt.getMessage() + "); remove it to start afresh");
      }
    }
    return new Journal(directory, clock, entries);
  }

  public synchronized Optional<Entry> entry(String image) {
    return Optional.ofNullable(entries.get(image));
  }

  public synchronized Map<String, Entry> entries() {
    return Map.copyOf(entries);
  }

  /** Records a transition; {@code cause} only for failures. */
  public synchronized void transition(String image, ImageState state, String key, String reason, String cause) {
    Entry previous = entries.get(image);
    Entry next = new Entry(state, key, reason != null ? reason : previous == null ? null : previous.reason(), cause,
        clock.instant().toString(),
        previous == null ? null : previous.lastBuilt(),
        state == ImageState.VERIFIED ? key : previous == null ? null : previous.verifiedKey(),
        state == ImageState.PUBLISHED ? key : previous == null ? null : previous.publishedKey());
    entries.put(image, next);
    persist(image + " " + state.label() + " " + (key == null ? "-" : key) + (cause == null ? "" : " " + oneLine(cause)));
  }

  public synchronized void recordBuild(String image, BuildRecord record) {
    Entry previous = entries.get(image);
    if (previous == null) {
      throw new IllegalStateException("no journal entry for " + image);
    }
    entries.put(image, new Entry(previous.state(), previous.key(), previous.reason(), previous.cause(),
        previous.updated(), record, previous.verifiedKey(), previous.publishedKey()));
    persist(null);
  }

  private void persist(String logLine) {
    try {
      Files.createDirectories(directory);
      Path temp = directory.resolve("state.json.tmp-" + ProcessHandle.current().pid());
      Files.write(temp, Json.pretty(new Document(new TreeMap<>(entries))));
      try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, directory.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      if (logLine != null) {
        Files.writeString(directory.resolve("journal.log"), clock.instant() + " " + logLine + "\n",
            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal under " + directory, e);
    }
  }

  private static String oneLine(String text) {
    return text.replace('\n', ' ');
  }
}
