package dev.berth.api.build;

import dev.berth.engine.Builder;

/**
 * A builder berth can use, found with {@link java.util.ServiceLoader}: a jar that lists its class in
 * {@code META-INF/services/dev.berth.api.build.BuilderProvider} adds a builder that {@code --builder NAME}
 * and {@code Berth.builder(NAME)} choose, and {@code auto} considers by priority.
 */
public interface BuilderProvider {
  /** The name {@code --builder} takes. */
  String name();

  /** Lower comes first: {@code auto} takes the available builder with the lowest number (native is 1, docker 2). */
  int priority();

  /** Whether the builder can be used here, and why (or why not). */
  Builders.Availability availability(java.util.Map<String, String> environment);

  /**
   * A builder for one run. When asked for by name while it is not available, it either works with
   * what there is (native: file layers only) or throws {@link IllegalStateException} saying why.
   */
  Builder create(BuilderContext context);
}
