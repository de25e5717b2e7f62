package dev.berth.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.graph.ImageGraph;
import dev.berth.oci.Descriptor;
import dev.berth.sbom.Attestations;
import dev.berth.sbom.SbomFormat;
import dev.berth.sbom.SbomPackage;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What must rebuild for a package: the images of a plan whose SBOM (in the store) holds it, and
 * every image built on them, each with the reason ("jq 1.6-2.1 in layer 2 (berth apt ["jq"])",
 * "built on tools").
 */
public final class Affected {
  private Affected() {}

  /**
   * A package name (dpkg's, or pip's compared as pip does) with, optionally, a version: exactly that
   * version ({@code NAME@VERSION}), or any version below it in the package manager's order
   * ({@code NAME@<VERSION}: the versions a fix in VERSION has not reached).
   */
  public record Query(String name, String version, boolean below) {
    public Query(String name, String version) {
      this(name, version, false);
    }

    public static Query parse(String text) {
      int at = text.indexOf('@');
      String name = at < 0 ? text : text.substring(0, at);
      String version = at < 0 ? null : text.substring(at + 1);
      boolean below = version != null && version.startsWith("<");
      if (below) {
        version = version.substring(1);
      }
      if (name.isBlank() || (version != null && version.isBlank())) {
        throw new IllegalArgumentException("invalid package '" + text + "': expected NAME, NAME@VERSION or NAME@<VERSION");
      }
      return new Query(name, version, below);
    }

    /** Whether {@code pkg} is the package asked about, at a version asked about. */
    public boolean matches(SbomPackage pkg) {
      if (!pkg.matches(name, null)) {
        return false;
      }
      if (version == null) {
        return true;
      }
      return below ? dev.berth.sbom.PackageVersions.isBelow(pkg, version) : version.equals(pkg.version());
    }

    /** As the command line writes it. */
    @Override
    public String toString() {
      return name + (version == null ? "" : "@" + (below ? "<" : "") + version);
    }
  }

  /** One image that must rebuild, and why. */
  public record Image(@JsonProperty("name") String name, @JsonProperty("key") String key,
      @JsonProperty("reason") String reason) {}

  /**
   * The plan of {@code berth build --affected-by}: the affected images of {@code selection} are built
   * again (their reason says why), the images they need are taken as they are. With a version in the
   * query a run is resumable: an image rebuilt with a newer package no longer matches.
   */
  public static Plan plan(Planner planner, ContentStore store, ImageGraph graph, List<String> selection, Query query)
      throws IOException {
    return plan(planner, store, graph, selection, query, java.util.Set.of());
  }

  /**
   * As {@link #plan(Planner, ContentStore, ImageGraph, List, Query)}, resuming a run that already
   * rebuilt the images of {@code done}: they are planned as usual (present, so not built again unless
   * a parent is).
   */
  public static Plan plan(Planner planner, ContentStore store, ImageGraph graph, List<String> selection, Query query,
      java.util.Set<String> done) throws IOException {
    List<Image> affected = find(store, graph, planner.plan(graph, selection, false), query);
    if (affected.isEmpty()) {
      return new Plan(List.of());
    }
    Map<String, String> reasons = new LinkedHashMap<>();
    affected.forEach(image -> reasons.put(image.name(), image.reason()));
    List<String> needed = graph.select(List.copyOf(reasons.keySet()));
    Map<String, String> rebuild = new LinkedHashMap<>(reasons);
    rebuild.keySet().removeAll(done);
    return planner.plan(graph, needed, rebuild);
  }

  /**
   * The images of {@code plan} affected by {@code query}, in build order. Images the store has not built
   * have no SBOM yet and count only through a parent.
   */
  public static List<Image> find(ContentStore store, ImageGraph graph, Plan plan, Query query) throws IOException {
    Map<String, String> reasons = new LinkedHashMap<>();
    Attestations attestations = new Attestations(store);
    for (Plan.Item item : plan.images()) {
      if (item.key() == null) {
        continue;
      }
      Optional<Descriptor> manifest = store.resolve(item.name() + ":" + item.key());
      Optional<Attestations.Document> sbom = manifest.isEmpty() ? Optional.empty()
          : attestations.sbom(manifest.get().digest());
      if (sbom.isEmpty()) {
        continue;
      }
      for (SbomPackage pkg : SbomFormat.packages(sbom.get().bytes(), sbom.get().mediaType(), "SBOM of " + item.name())) {
        if (query.matches(pkg)) {
          reasons.put(item.name(), pkg.name() + " " + pkg.version() + " in " + (pkg.origin() == null ? "the image" : pkg.origin()));
          break;
        }
      }
    }
    for (String holder : List.copyOf(reasons.keySet())) {
      for (String dependent : graph.withDependents(holder)) {
        reasons.putIfAbsent(dependent, "built on " + holder);
      }
    }
    List<Image> out = new ArrayList<>();
    for (Plan.Item item : plan.images()) {
      if (reasons.containsKey(item.name())) {
        out.add(new Image(item.name(), item.key(), reasons.get(item.name())));
      }
    }
    return out;
  }
}
