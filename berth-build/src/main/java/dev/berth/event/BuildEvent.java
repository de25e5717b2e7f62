package dev.berth.event;

import dev.berth.emulation.Execution;
import dev.berth.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * What happens during a run, as typed values: a {@link BuildListener} renders them (the CLI's
 * progress lines, a JSON log) or acts on them. Every event names the image it concerns; a warning
 * not about one image has an empty name.
 */
public sealed interface BuildEvent {
  /** The image (tree name) the event concerns; empty when it concerns none. */
  String image();

  /** What happened, in words, without the image's name (e.g. {@code built sha256:…}). */
  String message();

  private static String step(int index, int count, String description) {
    return "step " + index + "/" + count + " " + description;
  }

  /** How a step got its layer. */
  enum Cache {
    /** Taken from the step cache: an earlier build ran the same step on the same inputs. */
    HIT,
    /** A file layer written ahead of the build (its content does not depend on the layers below). */
    PREPARED,
    /** Run (or written) now. */
    MISS
  }

  /** The plan decided to build {@code image}, and why. */
  record Planned(String image, String key, String action, String reason) implements BuildEvent {
    @Override
    public String message() {
      return "planned: " + action + " (" + reason + ")";
    }
  }

  /** The image's build starts. */
  record BuildStarted(String image, String key, String reason) implements BuildEvent {
    @Override
    public String message() {
      return "building (" + reason + ")";
    }
  }

  /**
   * A step starts: number {@code index} (from 1) of {@code count}; {@code description} is the step as
   * the spec states it (e.g. {@code apt curl}). A cache hit starts and finishes at once. {@code emulated}:
   * how its command runs under emulation, null when it runs natively or runs nothing.
   */
  record StepStarted(String image, int index, int count, String description, Execution.Emulated emulated)
      implements BuildEvent {
    public StepStarted(String image, int index, int count, String description) {
      this(image, index, count, description, null);
    }

    @Override
    public String message() {
      return step(index, count, description) + emulation(emulated);
    }
  }

  /** A step is done, from the cache or run now; {@code emulated} as in {@link StepStarted}. */
  record StepFinished(String image, int index, int count, String description, Cache cache, Duration duration,
      Execution.Emulated emulated) implements BuildEvent {
    public StepFinished(String image, int index, int count, String description, Cache cache, Duration duration) {
      this(image, index, count, description, cache, duration, null);
    }

    @Override
    public String message() {
      return step(index, count, description) + switch (cache) {
        case HIT -> " (cached)";
        case PREPARED -> " (prepared)";
        case MISS -> String.format(" (done in %.1f s%s)", duration.toMillis() / 1000.0,
            emulated == null ? "" : ", " + emulated);
      };
    }
  }

  private static String emulation(Execution.Emulated emulated) {
    return emulated == null ? "" : " (" + emulated + ")";
  }

  /** A line of output of a process run for an image (a step, a check, test.sh, the engine's build). */
  record Output(String image, String line) implements BuildEvent {
    @Override
    public String message() {
      return line;
    }
  }

  /** The builder hands the image to an external engine (Docker), at {@code address}. */
  record EngineBuild(String image, String engine, String address) implements BuildEvent {
    @Override
    public String message() {
      return engine + " build (engine at " + address + ")";
    }
  }

  /** The image is not in the store but the registry has it under its key: it is fetched, not built. */
  record Fetching(String image, String key) implements BuildEvent {
    @Override
    public String message() {
      return "fetching from the registry";
    }
  }

  /** A push of the image to {@code reference}, or a pull from it, starts ({@link BytesTransferred} when it is done). */
  record TransferStarted(String image, String reference, Direction direction) implements BuildEvent {
    @Override
    public String message() {
      return (direction == Direction.PUSH ? "pushing to " : "pulling from ") + reference;
    }
  }

  /** Blobs went to or came from a registry for the image, taking {@code duration}. */
  record BytesTransferred(String image, String reference, Direction direction, long bytes, int blobs,
      Duration duration) implements BuildEvent {
    @Override
    public String message() {
      return (direction == Direction.PUSH ? "pushed " : "pulled ") + bytes + " bytes in " + blobs + " blobs "
          + (direction == Direction.PUSH ? "to " : "from ") + reference;
    }
  }

  /**
   * One blob of a push to, or pull from, {@code reference} has moved {@code bytes} of its {@code total}.
   * Sent a few times a second per blob while it moves (first with 0, last with {@code total}), and
   * only for blobs whose bytes move: a blob the registry or the store has already is not reported.
   */
  record BlobProgress(String image, String reference, Direction direction, Digest blob, long bytes, long total)
      implements BuildEvent {
    @Override
    public String message() {
      return (direction == Direction.PUSH ? "pushing " : "pulling ") + blob + ": " + bytes + " of " + total + " bytes";
    }
  }

  /**
   * A step's layer was written: by the step run now ({@code duration} is the whole step, from its start
   * to the layer being in the store) or, for a file layer, ahead of the build ({@code duration} is the
   * write). {@code bytes} is the compressed layer's size. Sent once per layer, never per byte.
   */
  record LayerWritten(String image, int index, int count, String description, long bytes, Duration duration)
      implements BuildEvent {
    @Override
    public String message() {
      return step(index, count, description) + ": wrote a layer of " + bytes + " bytes";
    }
  }

  /** Which way a transfer went. */
  enum Direction { PUSH, PULL }

  /** The image was built now: its manifest digest, and how long the build took. */
  record Built(String image, String key, Digest digest, Duration duration) implements BuildEvent {
    @Override
    public String message() {
      return "built " + digest;
    }
  }

  /** The image's checks passed; {@code emulated}: how its commands ran under emulation, null when natively. */
  record Verified(String image, String key, Duration duration, Execution.Emulated emulated) implements BuildEvent {
    public Verified(String image, String key, Duration duration) {
      this(image, key, duration, null);
    }

    @Override
    public String message() {
      return "verified" + emulation(emulated);
    }
  }

  /** The image was pushed under {@code references} ({@code REGISTRY/NAME:TAG@DIGEST} each, or a note). */
  record Published(String image, List<String> references) implements BuildEvent {
    public Published {
      references = List.copyOf(references);
    }

    @Override
    public String message() {
      return "published " + String.join(", ", references);
    }
  }

  /** The image was loaded into a Docker engine under {@code names}. */
  record Loaded(String image, List<String> names) implements BuildEvent {
    public Loaded {
      names = List.copyOf(names);
    }

    @Override
    public String message() {
      return "loaded into the engine as " + String.join(", ", names);
    }
  }

  /** The image failed, for {@code cause} (which says in what phase). */
  record Failed(String image, String cause) implements BuildEvent {
    @Override
    public String message() {
      return "failed" + (cause == null ? "" : ": " + cause);
    }
  }

  /** The image was not attempted: a dependency failed. */
  record Blocked(String image, String cause) implements BuildEvent {
    @Override
    public String message() {
      return "blocked" + (cause == null ? "" : ": " + cause);
    }
  }

  /** A worker of a fleet stopped answering; the images it held move to the others. Concerns no one image. */
  record WorkerDown(String worker, String reason) implements BuildEvent {
    @Override
    public String image() {
      return "";
    }

    @Override
    public String message() {
      return "worker " + worker + " is down: " + reason;
    }
  }

  /** A worker marked down answered a probe again and takes work again. Concerns no one image. */
  record WorkerUp(String worker, Duration downFor) implements BuildEvent {
    @Override
    public String image() {
      return "";
    }

    @Override
    public String message() {
      return "worker " + worker + " is up again (down " + downFor.toMillis() / 100 / 10.0 + " s)";
    }
  }

  /** This run's claim on the image's key was written again: its build is still going. */
  record ClaimRenewed(String image, String keyTag) implements BuildEvent {
    @Override
    public String message() {
      return "claim on " + keyTag + " renewed";
    }
  }

  /** Another run's claim on the image's key expired (that run stopped renewing it): this run builds it. */
  record ClaimTakenOver(String image, String owner) implements BuildEvent {
    @Override
    public String message() {
      return "the claim of " + owner + " expired; building it here";
    }
  }

  /** The image's build moves on: {@code worker} went down while it held it. */
  record Rescheduled(String image, String worker) implements BuildEvent {
    @Override
    public String message() {
      return "rescheduled (worker " + worker + " is down)";
    }
  }

  /** Another run published the image's key first; its image stands and this run builds nothing. */
  record PublishedElsewhere(String image, String key) implements BuildEvent {
    @Override
    public String message() {
      return "published meanwhile by another run";
    }
  }

  /** Another run holds the image's claim and builds it now; this run waits for its key tag. */
  record WaitingForOtherRun(String image, String owner) implements BuildEvent {
    @Override
    public String message() {
      return "waiting, another run builds it (" + owner + ")";
    }
  }

  /** Something the user should know that does not stop the run (a stale base, an unreachable mirror). */
  record Warning(String image, String message) implements BuildEvent {}

  /** With debugging on: the whole stack trace of an image's failure. */
  record Trace(String image, String trace) implements BuildEvent {
    @Override
    public String message() {
      return trace;
    }
  }
}
