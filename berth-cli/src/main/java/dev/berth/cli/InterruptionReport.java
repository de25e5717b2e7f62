package dev.berth.cli;

import dev.berth.api.tree.Interruption;

/** Prints how an interrupted run ended ({@link Interruption.Interrupted}) to stderr. */
final class InterruptionReport {
  private InterruptionReport() {}

  static void print(Interruption.Interrupted interrupted) {
    interrupted.notJournaled().ifPresent(e ->
        System.err.println("berth: error: cannot record the interruption: " + ErrorReporter.describe(e)));
    interrupted.notCleanedUp().ifPresent(e ->
        System.err.println("berth: error: cleaning up after the interruption: " + ErrorReporter.describe(e)));
    System.err.println("berth: interrupted; the next build resumes");
  }
}
