package dev.berth.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pieces several step kinds share: their key documents' shape and pip's command. */
final class StepForms {
  private StepForms() {}

  /** The argv of an apt-get install of {@code packages} that cleans up after itself unless a cache mount keeps its files. */
  static List<String> aptInstall(List<String> caches, List<String> packages) {
    boolean aptCache = caches.stream().anyMatch(path -> path.startsWith("/var/cache/apt"));
    boolean listsCache = caches.stream().anyMatch(path -> path.startsWith("/var/lib/apt"));
    // Package descriptions in other languages are never needed in a build (a third of the index
    // downloads), and dpkg's fsync per file buys nothing in a step that is discarded when it fails.
    String script = "apt-get update -qq -o Acquire::Languages=none"
        + " && apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-unsafe-io "
        + String.join(" ", packages)
        + (aptCache ? "" : " && apt-get clean && rm -rf /var/cache/apt/*.bin")
        + (listsCache ? "" : " && rm -rf /var/lib/apt/lists/*")
        // dpkg's and update-alternatives' logs carry the time of the install, and ldconfig's
        // aux-cache the files' inodes and times: kept, the layer would differ from one build to the next.
        + " && rm -rf /var/log/apt/* /var/cache/debconf/*-old"
        + " /var/log/dpkg.log /var/log/alternatives.log /var/cache/ldconfig/aux-cache";
    return List.of("/bin/sh", "-c", script);
  }

  /** The argv of a python3 -m pip install, with pip's own cache unless a cache mount keeps it. */
  static List<String> pipInstall(List<String> caches, List<String> what) {
    boolean pipCache = caches.stream().anyMatch(path -> path.endsWith("/.cache/pip") || path.contains("/.cache/pip/"));
    List<String> pip = new java.util.ArrayList<>(List.of("python3", "-m", "pip", "install",
        "--disable-pip-version-check", "--root-user-action=ignore"));
    if (!pipCache) {
      pip.add("--no-cache-dir");
    }
    pip.addAll(what);
    return List.copyOf(pip);
  }

  /** {@code {kind: fields}}. */
  static Map<String, Object> keyed(String kind, Object fields) {
    Map<String, Object> out = new TreeMap<>();
    out.put(kind, fields);
    return out;
  }

  /** The fields every copy keys: src, dest, and owner and mode when given. */
  static Map<String, Object> copyFields(String src, String dest, String owner, String mode) {
    Map<String, Object> fields = new TreeMap<>();
    fields.put("src", src);
    fields.put("dest", dest);
    if (owner != null) {
      fields.put("owner", owner);
    }
    if (mode != null) {
      fields.put("mode", mode);
    }
    return fields;
  }
}
