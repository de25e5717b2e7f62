package dev.berth.event;

/** Receives the output of a process berth runs (runc, test.sh, the engine's build), one line at a time. */
@FunctionalInterface
public interface OutputLines {
  OutputLines DISCARD = line -> { };

  void line(String text);

  /** Each line as an {@link BuildEvent.Output} of {@code image} to {@code listener}. */
  static OutputLines of(String image, BuildListener listener) {
    return line -> listener.on(new BuildEvent.Output(image, line));
  }
}
