package dev.berth.cli;

import dev.berth.plan.Journal;
import dev.berth.runtime.Reaper;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * What Ctrl-C (SIGINT) and SIGTERM do to a build: the JVM runs this as a shutdown hook, then exits
 * with status 130 or 143. The images not finished are journaled as interrupted, running steps and
 * checks are stopped, their mounts and directories released, and this process's temporary files
 * removed, so the next run resumes from what is in the store. The hook is removed again when the
 * command ends by itself.
 */
final class Interruption implements AutoCloseable {
  /** How long the stopped steps get to release their mounts: the whole exit stays under 2 s. */
  static final Duration GRACE = Duration.ofMillis(1200);

  private final Thread hook;

  private Interruption(Thread hook) {
    this.hook = hook;
  }

  static Interruption install(RunDirectory run, Journal journal, ContentStore store) {
    Thread hook = new Thread(() -> stop(run, journal, store), "berth-interrupted");
    Runtime.getRuntime().addShutdownHook(hook);
    return new Interruption(hook);
  }

  private static void stop(RunDirectory run, Journal journal, ContentStore store) {
    try {
      journal.interrupt();
    } catch (IOException e) {
      System.err.println("berth: error: cannot record the interruption: " + ErrorReporter.describe(e));
    }
    run.interrupt(GRACE);
    try {
      run.close();
      OptionalLong self = OptionalLong.of(ProcessHandle.current().pid());
      Reaper.removeTemporaryFiles(store.root().resolve(".berth-tmp"), self);
      Reaper.removeTemporaryFiles(store.root().resolve("berth-snapshots"), self);
    } catch (IOException e) {
      System.err.println("berth: error: cleaning up after the interruption: " + ErrorReporter.describe(e));
    }
    System.err.println("berth: interrupted; the next build resumes");
  }

  /** The command ended by itself: no hook any more. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
