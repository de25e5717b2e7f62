package dev.berth.cli;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import java.io.PrintStream;

/**
 * The line of text an event is shown as ({@code IMAGE: what happens}, {@code IMAGE | output},
 * {@code warning: …}), and a listener printing them.
 */
final class EventLines implements BuildListener {
  private final PrintStream out;
  private final boolean warningsOnly;

  private EventLines(PrintStream out, boolean warningsOnly) {
    this.out = out;
    this.warningsOnly = warningsOnly;
  }

  /** Prints every event that has a line. */
  static EventLines all(PrintStream out) {
    return new EventLines(out, false);
  }

  /** For commands that build nothing: only warnings are printed. */
  static EventLines warnings(PrintStream out) {
    return new EventLines(out, true);
  }

  @Override
  public void on(BuildEvent event) {
    if (warningsOnly && !(event instanceof BuildEvent.Warning)) {
      return;
    }
    String line = text(event);
    if (line != null) {
      out.println(line);
    }
  }

  /**
   * The line {@code event} is shown as; null for events only the JSON output and the API's results
   * carry (the plan, a step run now finishing, bytes moved or written, a passed check).
   */
  static String text(BuildEvent event) {
    if (event instanceof BuildEvent.Planned || event instanceof BuildEvent.BytesTransferred
        || event instanceof BuildEvent.BlobProgress
        || event instanceof BuildEvent.LayerWritten || event instanceof BuildEvent.TransferStarted
        || event instanceof BuildEvent.Verified
        || event instanceof BuildEvent.StepFinished finished && finished.cache() == BuildEvent.Cache.MISS) {
      return null;
    }
    if (event instanceof BuildEvent.Warning) {
      return "warning: " + (event.image().isEmpty() ? "" : event.image() + ": ") + event.message();
    }
    if (event.image().isEmpty()) {
      return event.message();
    }
    return event.image() + (event instanceof BuildEvent.Output ? " | " : ": ") + event.message();
  }

  /** Whether {@code event} says what an image is busy with now (the live block shows it), not a result. */
  static boolean isActivity(BuildEvent event) {
    return event instanceof BuildEvent.BuildStarted || event instanceof BuildEvent.StepStarted
        || event instanceof BuildEvent.TransferStarted
        || event instanceof BuildEvent.StepFinished finished && finished.cache() != BuildEvent.Cache.MISS;
  }
}
