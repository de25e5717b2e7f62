package dev.berth.cli;

import dev.berth.cli.replay.ReplayInputs;
import java.util.Optional;

/** A command whose run, when it changed nothing, may be replayed (see {@link dev.berth.cli.replay.Replays}). */
interface Replayable {
  /** After the run: what it depended on, or empty when it did anything a replay would not do again. */
  Optional<ReplayInputs> replayInputs();
}
