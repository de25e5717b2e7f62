package dev.berth.api.tree;

import dev.berth.plan.Journal;
import dev.berth.runtime.Reaper;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do to a run: the JVM runs this as a shutdown hook, then exits
 * with status 130 or 143. The images not finished are journaled as interrupted, running steps and
 * checks are stopped, their mounts and directories released, and this process's temporary files
 * removed, so the next run resumes from what is in the store; then the {@link Listener} hears what
 * happened ({@link Interrupted}). The hook is removed again when the run ends by itself ({@link #close}).
 */
public final class Interruption implements AutoCloseable {
  /** How long the stopped steps get to release their mounts: the whole exit stays under 2 s. */
  public static final Duration GRACE = Duration.ofMillis(1200);

  private final Thread hook;

  private Interruption(Thread hook) {
    this.hook = hook;
  }

  /**
   * An interrupted run, once stopped: it resumes on the next run. {@code notJournaled}: why the
   * interruption could not be journaled; {@code notCleanedUp}: why its directories or temporary
   * files could not all be removed (the next run's reaper removes them).
   */
  public record Interrupted(Optional<IOException> notJournaled, Optional<IOException> notCleanedUp) {}

  /** Hears how an interrupted run ended, from the shutdown hook's thread. */
  @FunctionalInterface
  public interface Listener {
    void interrupted(Interrupted interrupted);
  }

  /** Stops {@code session}'s run as above on SIGINT or SIGTERM, until {@link #close}d. */
  public static Interruption install(Session session, Listener listener) {
    return install(session.run, session.journal, session.store, listener);
  }

  static Interruption install(RunDirectory run, Journal journal, ContentStore store, Listener listener) {
    Thread hook = new Thread(() -> listener.interrupted(stop(run, journal, store)), "berth-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    return new Interruption(hook);
  }

  /** Journals the interruption, stops the steps and removes what this process left; what failed, typed. */
  static Interrupted stop(RunDirectory run, Journal journal, ContentStore store) {
    Optional<IOException> notJournaled = Optional.empty();
    try {
      journal.interrupt();
    } catch (IOException e) {
      notJournaled = Optional.of(e);
    }
    run.interrupt(GRACE);
    Optional<IOException> notCleanedUp = Optional.empty();
    try {
      run.close();
      OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());
      Reaper.removeTemporaryFiles(store.root().resolve(".berth-tmp"), self);
      Reaper.removeTemporaryFiles(store.root().resolve("berth-snapshots"), self);
    } catch (IOException e) {
      notCleanedUp = Optional.of(e);
    }
    return new Interrupted(notJournaled, notCleanedUp);
  }

  /** The run ended by itself: no hook any more. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
