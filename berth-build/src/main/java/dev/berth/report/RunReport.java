package dev.berth.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.graph.ImageGraph;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageManifest;
import dev.berth.plan.ImageState;
import dev.berth.plan.Journal;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build report shows, read from a tree's journal and the store: every image with its state,
 * why it was built, its digests and size, and its bar on the timeline of the last run (one segment
 * per step, cache hits marked, then verify and publish). Times are milliseconds from the run's start.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
    @JsonProperty("tree") String tree,
    @JsonProperty("run") String run,
    @JsonProperty("millis") long millis,
    @JsonProperty("images") List<Image> images) {

  /** The state an image has when no run has reached it. */
  public static final String NEVER_RUN = "never-run";

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Image(
      @JsonProperty("name") String name,
      @JsonProperty("key") String key,
      @JsonProperty("state") String state,
      @JsonProperty("reason") String reason,
      @JsonProperty("cause") String cause,
      @JsonProperty("dependsOn") List<String> dependsOn,
      @JsonProperty("manifest") String manifestDigest,
      @JsonProperty("config") String configDigest,
      @JsonProperty("size") Long size,
      @JsonProperty("bar") Bar bar) {}

  /** An image's time in the last run; {@code start == end} for an image that was only found cached. */
  public record Bar(@JsonProperty("start") long start, @JsonProperty("end") long end,
      @JsonProperty("segments") List<Segment> segments) {}

  /** One part of a bar: {@code step}, {@code build} (a builder without steps), {@code verify} or {@code publish}. */
  public record Segment(@JsonProperty("kind") String kind, @JsonProperty("label") String label,
      @JsonProperty("start") long start, @JsonProperty("end") long end, @JsonProperty("cached") boolean cached) {}

  /** The report of {@code images} (in the graph's order) of the tree at {@code treeName}. */
  public static RunReport of(String treeName, ImageGraph graph, List<String> images, Journal journal, ContentStore store)
      throws IOException {
    List<Journal.LogLine> lines = lastRun(journal.lines());
    String run = lines.isEmpty() ? null : lines.get(0).run() != null ? lines.get(0).run() : lines.get(0).time();
    Instant origin = lines.isEmpty() ? Instant.EPOCH : Instant.parse(lines.get(0).time());
    Map<String, Journal.Entry> entries = journal.entries();
    List<Image> out = new ArrayList<>();
    long end = 0;
    for (String name : images) {
      Journal.Entry entry = entries.get(name);
      Bar bar = bar(name, lines, origin);
      end = bar == null ? end : Math.max(end, bar.end());
      Optional<ImageManifest> manifest = Optional.empty();
      Descriptor top = null;
      if (entry != null && entry.key() != null) {
        top = store.resolve(name + ":" + entry.key()).orElse(null);
        if (top != null) {
          manifest = Optional.of(ImageManifest.parse(store.readBlob(top.digest())));
        }
      }
      Long size = manifest.map(m -> m.config().size() + m.layers().stream().mapToLong(Descriptor::size).sum()).orElse(null);
      out.add(new Image(name, entry == null ? null : entry.key(), entry == null ? NEVER_RUN : entry.state().label(),
          entry == null ? null : entry.reason(), entry == null ? null : entry.cause(), graph.dependencies(name),
          top == null ? null : top.digest().toString(),
          manifest.map(m -> m.config().digest().toString()).orElse(null), size, bar));
    }
    return new RunReport(treeName, run, end, out);
  }

  /** The lines of the last run: those with the last line's run, or (journals before runs were named) all. */
  private static List<Journal.LogLine> lastRun(List<Journal.LogLine> lines) {
    if (lines.isEmpty() || lines.get(lines.size() - 1).run() == null) {
      return lines;
    }
    String run = lines.get(lines.size() - 1).run();
    return lines.stream().filter(line -> run.equals(line.run())).toList();
  }

  /** The image's bar: its lines from its last {@code planned} on; null when the run did not reach it. */
  private static Bar bar(String image, List<Journal.LogLine> lines, Instant origin) {
    List<Journal.LogLine> own = new ArrayList<>();
    for (Journal.LogLine line : lines) {
      if (!image.equals(line.image())) {
        continue;
      }
      if (line.state() == ImageState.PLANNED) {
        own.clear();
      } else {
        own.add(line);
      }
    }
    if (own.isEmpty()) {
      return null;
    }
    List<Segment> segments = new ArrayList<>();
    Map<ImageState, Long> opened = new LinkedHashMap<>();
    boolean stepsSeen = false;
    for (Journal.LogLine line : own) {
      long at = millis(origin, line.time());
      if (line.step() != null) {
        long start = millis(origin, line.step().started());
        segments.add(new Segment("step", line.step().label(), start, start + line.step().millis(), line.step().cached()));
        stepsSeen = true;
      } else if (line.state() != null) {
        switch (line.state()) {
          case BUILDING, VERIFYING, PUBLISHING -> opened.put(line.state(), at);
          default -> {
            close(segments, opened, ImageState.BUILDING, stepsSeen ? null : "build", at);
            close(segments, opened, ImageState.VERIFYING, "verify", at);
            close(segments, opened, ImageState.PUBLISHING, "publish", at);
          }
        }
      }
    }
    long start = millis(origin, own.get(0).time());
    long end = millis(origin, own.get(own.size() - 1).time());
    for (Segment segment : segments) {
      start = Math.min(start, segment.start());
      end = Math.max(end, segment.end());
    }
    return new Bar(start, end, segments);
  }

  private static void close(List<Segment> segments, Map<ImageState, Long> opened, ImageState state, String kind, long at) {
    Long since = opened.remove(state);
    if (since != null && kind != null) {
      segments.add(new Segment(kind, kind, since, at, false));
    }
  }

  private static long millis(Instant origin, String time) {
    return java.time.Duration.between(origin, Instant.parse(time)).toMillis();
  }
}
