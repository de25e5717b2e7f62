package dev.berth.api.build;

import dev.berth.engine.Builder;
import dev.berth.engine.DockerBuilder;
import dev.berth.engine.docker.DockerEngine;
import java.io.IOException;

/** A Docker engine's builder, over its socket ({@code DOCKER_HOST}, else /var/run/docker.sock). */
public final class DockerBuilderProvider implements BuilderProvider {
  @Override
  public String name() {
    return DockerBuilder.NAME;
  }

  @Override
  public int priority() {
    return 2;
  }

  @Override
  public Builders.Availability availability(java.util.Map<String, String> environment) {
    return availability(DockerEngine.fromEnvironment(environment));
  }

  static Builders.Availability availability(DockerEngine engine) {
    if (!engine.available()) {
      return new Builders.Availability(DockerBuilder.NAME, 2, false, "no Docker engine answers at " + engine.address());
    }
    String version;
    try {
      version = engine.version();
    } catch (IOException e) {
      return new Builders.Availability(DockerBuilder.NAME, 2, false, e.getMessage());
    }
    return new Builders.Availability(DockerBuilder.NAME, 2, true, "Docker engine " + version + " at " + engine.address());
  }

  @Override
  public Builder create(BuilderContext context) {
    DockerEngine engine = DockerEngine.fromEnvironment(context.environment());
    Builders.Availability docker = availability(engine);
    if (!docker.available()) {
      throw new IllegalStateException("--builder docker: " + docker.detail());
    }
    return new DockerBuilder(context.store(), context.settings(), engine, context.listener());
  }
}
