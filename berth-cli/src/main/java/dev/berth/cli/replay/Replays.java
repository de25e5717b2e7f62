package dev.berth.cli.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The no-op fast path. A build or plan that changed nothing is recorded: its output, exit status
 * and journal lines, under a key of its command line, working directory, environment and berth's
 * jar, with the stat of every file it depended on. The same command, run again with every one of
 * those files as it was, prints the recording and appends the journal lines, without reading the
 * tree, rendering a template or loading more than a few JDK classes. Anything else (another
 * argument, variable, file, tag in the store, berth jar) and the command runs in full, as it does
 * with {@code BERTH_REPLAY=off}. Only commands whose run reports {@link ReplayInputs} are ever
 * recorded, and only runs that printed nothing on standard error (a progress display, timed lines or
 * warnings are not replayed); whether standard output and error are terminals is part of the key.
 * Like every class of this package, it uses no lambdas, streams or {@code +} on strings on the path
 * that replays: each would cost a cold JVM milliseconds of method-handle set-up.
 */
public final class Replays {
  /** The commands that may report inputs: everything else is not looked up at all. */
  private static final Set<String> COMMANDS = Set.of("build", "plan", "docker-pkg");
  /** A file modified within this of the run's start is too fresh to be trusted by its times alone. */
  private static final long RACY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ReplayCache cache;
  private final ReplayKey key;
  private final boolean explain;

  private Replays(ReplayCache cache, ReplayKey key, boolean explain) {
    this.cache = cache;
    this.key = key;
    this.explain = explain;
  }

  /** With {@code BERTH_REPLAY=explain}, why a command was run in full goes to standard error. */
  private void explain(String why) {
    if (explain) {
      System.err.println("berth: replay: ".concat(why));
    }
  }

  /**
   * The fast path for this process's command line, when it is one that can be replayed and berth
   * runs from a jar ({@code jar} null otherwise).
   */
  public static Optional<Replays> forCommand(String[] args, Map<String, String> environment, Path jar) {
    String command = null;
    for (String arg : args) {
      // a password given on the command line is never written to a recording, so such a run is never kept
      if (arg.equals("-h") || arg.equals("--help") || arg.equals("--creds") || arg.startsWith("--creds=")) {
        return Optional.empty();
      }
      if (command == null && !arg.startsWith("-")) {
        command = arg;
      }
    }
    if (jar == null || command == null || !COMMANDS.contains(command)) {
      return Optional.empty();
    }
    Optional<ReplayCache> cache = ReplayCache.fromEnvironment(environment);
    if (cache.isEmpty()) {
      return Optional.empty();
    }
    try {
      ReplayKey key = ReplayKey.of(jar, List.of(args), Path.of("").toAbsolutePath(), environment, isTerminal(1),
          isTerminal(2));
      return Optional.of(new Replays(cache.get(), key, "explain".equals(environment.get("BERTH_REPLAY"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Replays the recording of this command when all its inputs are unchanged: the exit status it
   * had, or empty when the command must run.
   */
  public OptionalInt replay() {
    Optional<Recording> found = cache.find(key);
    if (found.isEmpty()) {
      explain("no recording of this command; running in full");
      return OptionalInt.empty();
    }
    Optional<String> changed = found.get().inputs().firstChange();
    if (changed.isPresent()) {
      explain(changed.get().concat(" changed; running in full"));
      return OptionalInt.empty();
    }
    Recording recording = found.get();
    Instant run = Instant.now();
    try {
      for (JournalLines journal : recording.journals()) {
        journal.append(run);
      }
    } catch (IOException e) {
      return OptionalInt.empty();
    }
    for (Recording.Output chunk : recording.output()) {
      PrintStream stream = chunk.error() ? System.err : System.out;
      stream.write(chunk.bytes(), 0, chunk.bytes().length);
      stream.flush();
    }
    return OptionalInt.of(recording.exitStatus());
  }

  /** Starts capturing what the run prints; close it when the run is over. */
  public OutputCapture capture() {
    return OutputCapture.start();
  }

  /** The time to pass to {@link #record}, taken before the run reads anything. */
  public static long now() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  /**
   * Records a run that succeeded, printed what {@code capture} holds and depended on {@code inputs},
   * unless one of them changed after {@code startedNanos} less {@value #RACY_NANOS} ns. Never
   * fails the run: a recording that cannot be made is not made.
   */
  public void record(OutputCapture capture, int exitStatus, ReplayInputs inputs, long startedNanos) {
    List<Recording.Output> output = capture.output();
    // what went to standard error (progress lines with times, warnings) is not replayed: such a run is not kept
    if (exitStatus != 0 || output == null || output.stream().anyMatch(Recording.Output::error)) {
      explain("not recorded: the run failed, printed on standard error or printed too much");
      return;
    }
    try {
      Optional<InputStamp> stamp = InputStamp.capture(inputs.trees(), inputs.files());
      if (stamp.isEmpty()) {
        explain("not recorded: a symbolic link leads out of the tree");
      } else if (stamp.get().touchedSince(startedNanos - RACY_NANOS)) {
        explain("not recorded: an input changed within a second of the run's start");
      } else {
        cache.save(new Recording(key, stamp.get(), output, exitStatus, inputs.journals()));
      }
    } catch (IOException | RuntimeException e) {
      explain("not recorded: ".concat(String.valueOf(e.getMessage())));  // the next run is a full one
    }
  }

  /** Whether file descriptor {@code fd} of this process is a terminal, as Linux's /proc shows it. */
  private static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/".concat(Integer.toString(fd)))).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
