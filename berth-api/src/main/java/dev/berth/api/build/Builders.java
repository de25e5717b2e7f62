package dev.berth.api.build;

import dev.berth.engine.BuildSettings;
import dev.berth.engine.Builder;
import dev.berth.event.BuildListener;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The builders berth can use ({@link BuilderProvider}s found with {@link ServiceLoader}), highest
 * priority first, and which one a build gets: the one {@code --builder} names, else the first that is
 * available.
 */
public final class Builders {
  public static final String AUTO = "auto";

  private Builders() {}

  /** A builder, whether it can be used here, and why (or why not). */
  public record Availability(String name, int priority, boolean available, String detail) {}

  /** Every provider on the class path, lowest priority number first (then by name). */
  public static List<BuilderProvider> providers() {
    List<BuilderProvider> out = new ArrayList<>();
    ServiceLoader.load(BuilderProvider.class, Builders.class.getClassLoader()).forEach(out::add);
    out.sort(Comparator.comparingInt(BuilderProvider::priority).thenComparing(BuilderProvider::name));
    return out;
  }

  /** Each provider's availability in {@code environment}, in priority order. */
  public static List<Availability> all(Map<String, String> environment) {
    return providers().stream().map(provider -> provider.availability(environment)).toList();
  }

  /** The builder {@code requested} names ({@code auto} or null: the first available, else the first). */
  public static Builder choose(String requested, ContentStore store, RunDirectory run, BuildSettings settings,
      BuildListener progress) {
    Map<String, String> environment = System.getenv();
    List<BuilderProvider> providers = providers();
    String name = requested == null ? AUTO : requested;
    BuilderProvider chosen;
    if (name.equals(AUTO)) {
      chosen = providers.stream().filter(provider -> provider.availability(environment).available()).findFirst()
          .orElse(providers.get(0));
    } else {
      chosen = providers.stream().filter(provider -> provider.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown builder '" + requested + "' (berth has: auto, "
              + providers.stream().map(BuilderProvider::name).collect(Collectors.joining(", ")) + ")"));
    }
    return chosen.create(new BuilderContext(store, run, settings, progress, environment));
  }
}
