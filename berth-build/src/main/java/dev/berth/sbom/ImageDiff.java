package dev.berth.sbom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.BuildException;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Json;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What differs between two builds of one image ({@code berth diff IMAGE@KEY1 IMAGE@KEY2}): the key's
 * inputs (from each build's provenance), the copied files and the packages (from each SBOM).
 */
public record ImageDiff(@JsonProperty("name") String name, @JsonProperty("from") String from,
    @JsonProperty("to") String to, @JsonProperty("inputs") List<Change> inputs,
    @JsonProperty("files") List<Change> files, @JsonProperty("packages") List<Change> packages) {

  /** One difference: absent before (added), absent after (removed), or changed. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Change(@JsonProperty("name") String name, @JsonProperty("before") String before,
      @JsonProperty("after") String after) {}

  public static ImageDiff compare(ContentStore store, String name, String fromKey, String toKey) throws IOException {
    Build from = Build.load(store, name, fromKey);
    Build to = Build.load(store, name, toKey);
    return new ImageDiff(name, fromKey, toKey, changes(from.inputs, to.inputs), changes(from.files, to.files),
        changes(from.packages, to.packages));
  }

  private record Build(SortedMap<String, String> inputs, SortedMap<String, String> files,
      SortedMap<String, String> packages) {
    static Build load(ContentStore store, String name, String key) throws IOException {
      String refName = name + ":" + key;
      Descriptor manifest = store.resolve(refName)
          .orElseThrow(() -> new BuildException(refName + ": not in the store (berth diff compares built images)"));
      Attestations attestations = new Attestations(store);
      Attestations.Document sbom = attestations.sbom(manifest.digest())
          .orElseThrow(() -> new BuildException(refName + ": has no SBOM (built before berth wrote them)"));
      Attestations.Document provenance = attestations.provenance(manifest.digest())
          .orElseThrow(() -> new BuildException(refName + ": has no provenance (built before berth wrote them)"));
      SortedMap<String, String> inputs = new TreeMap<>();
      for (JsonNode dependency : Json.tree(provenance.bytes()).path("predicate").path("buildDefinition")
          .path("resolvedDependencies")) {
        JsonNode digest = dependency.path("digest");
        String algorithm = digest.fieldNames().hasNext() ? digest.fieldNames().next() : "";
        inputs.put(dependency.path("name").asText(), algorithm + ":" + digest.path(algorithm).asText());
      }
      SortedMap<String, String> packages = new TreeMap<>();
      for (SbomPackage pkg : SbomFormat.packages(sbom.bytes(), sbom.mediaType(), "SBOM of " + refName)) {
        packages.merge(pkg.name(), String.valueOf(pkg.version()), (a, b) -> a.equals(b) ? a : a + ", " + b);
      }
      return new Build(inputs, SbomFormat.files(sbom.bytes(), sbom.mediaType(), "SBOM of " + refName), packages);
    }
  }

  private static List<Change> changes(SortedMap<String, String> before, SortedMap<String, String> after) {
    List<Change> out = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      if (!Objects.equals(before.get(name), after.get(name))) {
        out.add(new Change(name, before.get(name), after.get(name)));
      }
    }
    return out;
  }
}
