package dev.berth.api.build;

import dev.berth.engine.BuildSettings;
import dev.berth.event.BuildListener;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.util.Map;

/**
 * What a builder works with: the store images go to, this process's run directory (for steps and
 * mounts), the build settings, where events go, and the environment (DOCKER_HOST, PATH…).
 */
public record BuilderContext(ContentStore store, RunDirectory run, BuildSettings settings, BuildListener listener,
    Map<String, String> environment) {
  public BuilderContext {
    environment = Map.copyOf(environment);
  }
}
