package dev.berth.engine.docker;

import java.io.IOException;

/** The Docker engine reported an error while it built (a failing RUN, a bad instruction); the message is the engine's. */
public final class DockerBuildException extends IOException {
  public DockerBuildException(String message) {
    super(message);
  }
}
