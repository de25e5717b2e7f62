package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code build --affected-by} run that has not finished, kept in {@code .berth/affected-by.json}:
 * the query and when the run began. The same command run again resumes it: an image the journal shows
 * reaching the run's last state (built, verified or published) since then is not rebuilt again, even
 * though its SBOM may still hold the package (a rebuild from the same archive installs the same
 * version). The file is removed when a run has done every image, so the next run starts afresh.
 */
public final class AffectedRun {
  private static final String FILE = "affected-by.json";

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Document(@JsonProperty("query") String query, @JsonProperty("started") String started) {}

  private final Path file;
  private final String query;
  private final Instant started;

  private AffectedRun(Path file, String query, Instant started) {
    this.file = file;
    this.query = query;
    this.started = started;
  }

  /** The unfinished run of {@code query} in {@code tree}, if there is one; another query's run does not count. */
  public static Optional<AffectedRun> unfinished(Path tree, Affected.Query query) throws IOException {
    Path file = tree.resolve(".berth").resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Document document;
    try {
      document = Json.read(Files.readAllBytes(file), Document.class);
      Instant.parse(document.started());
    } catch (RuntimeException corrupt) {
      throw new IOException(file + " is unreadable; remove it to start the --affected-by run afresh");
    }
    if (!query.toString().equals(document.query())) {
      return Optional.empty();
    }
    return Optional.of(new AffectedRun(file, document.query(), Instant.parse(document.started())));
  }

  /** Resumes the unfinished run of {@code query}, or begins one now (replacing another query's). */
  public static AffectedRun begin(Path tree, Affected.Query query, Instant now) throws IOException {
    Optional<AffectedRun> resumed = unfinished(tree, query);
    if (resumed.isPresent()) {
      return resumed.get();
    }
    Path directory = Files.createDirectories(tree.resolve(".berth"));
    Path file = directory.resolve(FILE);
    Path temp = directory.resolve(FILE + ".tmp-" + ProcessHandle.current().pid());
    Files.write(temp, Json.pretty(new Document(query.toString(), now.toString())));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return new AffectedRun(file, query.toString(), now);
  }

  public Instant started() {
    return started;
  }

  /**
   * The images the journal shows reaching {@code last} (or a later finished state:
   * verified after built, published after verified) since this run began, in any run resuming it.
   */
  public Set<String> done(Journal journal, ImageState last) throws IOException {
    Set<String> out = new TreeSet<>();
    for (Journal.Transition transition : journal.history()) {
      ImageState state = transition.state();
      boolean finished = state == ImageState.BUILT || state == ImageState.VERIFIED || state == ImageState.PUBLISHED;
      if (finished && state.ordinal() >= last.ordinal()
          && !Instant.parse(transition.time()).isBefore(started)) {
        out.add(transition.image());
      }
    }
    return out;
  }

  /** Every image is done: the next run of the query starts afresh. */
  public void finish() throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public String toString() {
    return "--affected-by " + query + " begun " + started;
  }
}
