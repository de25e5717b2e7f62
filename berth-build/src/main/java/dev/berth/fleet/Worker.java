package dev.berth.fleet;

import dev.berth.engine.docker.DockerEngine;

/**
 * One engine of a fleet and what the scheduler knows of it: whether it is up, how many images it is
 * building now. Its state is guarded by the {@link Fleet} that owns it.
 */
public final class Worker {
  private final WorkerAddress address;
  private final DockerEngine engine;
  private final DockerEngine.EngineVersion version;
  int load;
  String downBecause;
  java.time.Instant downSince;

  Worker(WorkerAddress address, DockerEngine engine, DockerEngine.EngineVersion version) {
    this.address = address;
    this.engine = engine;
    this.version = version;
  }

  public String name() {
    return address.url();
  }

  public WorkerAddress address() {
    return address;
  }

  public DockerEngine engine() {
    return engine;
  }

  public DockerEngine.EngineVersion version() {
    return version;
  }

  @Override
  public String toString() {
    return name();
  }
}
