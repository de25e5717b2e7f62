package dev.berth.plan;

import dev.berth.dockerfile.DockerPkgConfig;
import dev.berth.graph.Fnmatch;
import dev.berth.graph.ImageGraph;
import dev.berth.spec.Changelog;
import dev.berth.spec.ImageSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * docker-pkg's {@code update NAME}: every image whose {@code registry/namespace/name:version} matches
 * {@code *NAME:*}, and every image built on one of them, gets a new changelog entry. NAME itself
 * gets {@code --version} or the next {@code -sN} version and the reason; the others the next
 * {@code -sN} and "Refresh for update in parent image NAME:" with the reason.
 */
public final class ChangelogUpdate {
  public static final String DEFAULT_REASON = "Security update";

  private ChangelogUpdate() {}

  /**
   * What entries look like: config's {@code distribution} and {@code update_id}, and the author.
   *
   * @param fullName an image's {@code registry/namespace/name}, as docker-pkg labels it
   */
  public record Settings(String distribution, String updateId, String author, Function<String, String> fullName) {
    /** docker-pkg's defaults for an author already worked out. */
    public static Settings defaults(String author) {
      return new Settings("wikimedia", "s", author, name -> name);
    }
  }

  /** One entry to write, in the folder of the image it versions. */
  public record Planned(String image, Path folder, Changelog.Entry entry) {}

  /** The entries for {@code name} (a glob, as docker-pkg takes it) and its dependents, in build order. */
  public static List<Planned> plan(ImageGraph graph, String name, String reason, String version, Settings settings,
      ZonedDateTime now, dev.berth.event.BuildListener warn) throws IOException {
    Set<String> chosen = new LinkedHashSet<>();
    var pattern = Fnmatch.compile("*" + name + ":*");
    for (String image : graph.order()) {
      Optional<Changelog> changelog = Changelog.read(graph.spec(image).folder());
      String label = settings.fullName().apply(image) + ":" + changelog.map(Changelog::version).orElse("");
      if (pattern.matcher(label).matches()) {
        chosen.addAll(graph.withDependents(image));
      }
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("no image of the tree matches '" + name + "'");
    }
    String dependentReason = "Refresh for update in parent image " + name + ":\n" + reason;
    List<Planned> out = new ArrayList<>();
    Set<Path> folders = new java.util.HashSet<>();
    for (String image : graph.order()) {
      ImageSpec spec = graph.spec(image);
      if (!chosen.contains(image) || dev.berth.dockerfile.DockerfileFrontend.isStage(image)
          || !folders.add(spec.folder())) {
        continue;  // not chosen, or a build stage (its folder is versioned by its image)
      }
      Optional<Changelog> current = Changelog.read(spec.folder());
      boolean named = image.equals(name);
      if (current.isEmpty() && !(named && version != null)) {
        if (named) {
          throw new IllegalArgumentException(name + " has no changelog; give --version to start one");
        }
        warn.on(new dev.berth.event.BuildEvent.Warning(image, "no changelog, not versioned (its key changes with its parent's)"));
        continue;
      }
      String next = named && version != null ? version : Changelog.nextVersion(current.get().version(), settings.updateId());
      if (!dev.berth.oci.ImageReference.isValidTag(next)) {
        throw new IllegalArgumentException("version '" + next + "' of " + image + " is not a valid tag");
      }
      String packageName = current.map(Changelog::packageName).orElse(image.replace('/', '-'));
      out.add(new Planned(image, spec.folder(), new Changelog.Entry(packageName, next,
          settings.distribution(), "high", named ? reason : dependentReason, settings.author(), now)));
    }
    return out;
  }

  /** Writes the planned entries. */
  public static void write(List<Planned> entries) throws IOException {
    for (Planned planned : entries) {
      Changelog.prepend(planned.folder(), planned.entry());
    }
  }

  /** docker-pkg's config values for entries: {@code distribution}, {@code update_id}, the fallback author. */
  public static Settings settings(DockerPkgConfig config, Map<String, String> environment,
      Function<String, Optional<String>> git) {
    String author = Changelog.author(environment, git, config.fallbackAuthor(), config.fallbackEmail());
    return new Settings(config.distribution(), config.updateId(), author, config::fullName);
  }
}
