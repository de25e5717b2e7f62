package dev.berth.spec;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pieces several step kinds share: their key documents' shape and pip's command. */
final class StepForms {
  private StepForms() {}

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
