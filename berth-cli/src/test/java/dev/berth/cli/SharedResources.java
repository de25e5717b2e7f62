package dev.berth.cli;

/**
 * Resources that integration test classes share across the machine. Test classes run two at a time
 * (failsafe's JUnit configuration in the parent pom); a class that uses one of these holds its
 * {@code @ResourceLock}, so JUnit never runs two such classes at once.
 */
final class SharedResources {
  private SharedResources() {}

  /**
   * The machine's Docker engine ({@code /var/run/docker.sock}). Its image names are engine-wide, and
   * {@code berth prune} removes superseded tags of a tree's image names there, so two classes building
   * {@code app} at once could remove each other's images.
   */
  static final String DOCKER_ENGINE = "docker-engine";
}
