package dev.berth.plan;

import dev.berth.engine.ContentKey;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.InputFile;
import dev.berth.engine.NativeBuild;
import dev.berth.graph.ImageGraph;
import dev.berth.spec.ImageSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Works out each selected image's key and whether it must be built, and why. */
public final class Planner {
  private final NativeBuild build;
  private final Journal journal;
  private final RemoteCheck remote;

  /** Whether an image's key tag is already in the registry (when publishing); empty when not asked. */
  public interface RemoteCheck {
    boolean has(ImageSpec spec, ContentKey key) throws IOException;

    RemoteCheck NONE = (spec, key) -> false;
  }

  public Planner(NativeBuild build, Journal journal, RemoteCheck remote) {
    this.build = build;
    this.journal = journal;
    this.remote = remote;
  }

  public Plan plan(ImageGraph graph, List<String> selection, boolean force) {
    Map<String, Plan.Item> byName = new HashMap<>();
    List<Plan.Item> items = new ArrayList<>();
    for (String name : selection) {
      ImageSpec spec = graph.spec(name);
      Optional<String> parent = graph.parent(name);
      List<String> dependsOn = parent.map(List::of).orElse(List.of());
      Plan.Item parentItem = parent.map(byName::get).orElse(null);
      Plan.Item item;
      if (parentItem != null && parentItem.prepared() == null) {
        item = new Plan.Item(name, null, Plan.Action.BLOCKED, "parent " + parent.get() + " cannot be built",
            dependsOn, spec, null);
      } else {
        item = planOne(spec, parent, parentItem, dependsOn, force);
      }
      byName.put(name, item);
      items.add(item);
    }
    return new Plan(items);
  }

  private Plan.Item planOne(ImageSpec spec, Optional<String> parent, Plan.Item parentItem, List<String> dependsOn,
      boolean force) {
    ImageBuilder.PreparedImage prepared;
    try {
      prepared = parentItem != null
          ? build.prepareOnParent(spec, parentItem.prepared().key())
          : build.prepare(spec);
    } catch (IOException | RuntimeException e) {
      return new Plan.Item(spec.name(), null, Plan.Action.FAILED, messageOf(e), dependsOn, spec, null);
    }
    String key = prepared.key().tag();
    try {
      boolean parentBuilds = parentItem != null && parentItem.action() == Plan.Action.BUILD;
      if (!force && !parentBuilds && (build.existing(prepared).isPresent() || remote.has(spec, prepared.key()))) {
        return new Plan.Item(spec.name(), key, Plan.Action.CACHED,
            build.existing(prepared).isPresent() ? "in the store" : "in the registry", dependsOn, spec, prepared);
      }
    } catch (IOException | RuntimeException e) {
      return new Plan.Item(spec.name(), key, Plan.Action.FAILED, messageOf(e), dependsOn, spec, prepared);
    }
    return new Plan.Item(spec.name(), key, Plan.Action.BUILD, reason(spec, prepared, parent, force), dependsOn, spec,
        prepared);
  }

  private String reason(ImageSpec spec, ImageBuilder.PreparedImage prepared, Optional<String> parent, boolean force) {
    if (force) {
      return "forced";
    }
    Journal.BuildRecord last = journal.entry(spec.name()).map(Journal.Entry::lastBuilt).orElse(null);
    if (last == null) {
      return "new";
    }
    if (last.key().equals(prepared.key().digest().toString())) {
      return "not in the store";
    }
    if (!last.base().equals(prepared.baseIdentity())) {
      return parent.map(name -> "parent " + name + " changed").orElse("base digest moved");
    }
    List<String> changed = changedInputs(last.inputs(), BuildRecords.inputDigests(prepared));
    if (!changed.isEmpty()) {
      String shown = String.join(", ", changed.subList(0, Math.min(3, changed.size())));
      return "input changed: " + shown + (changed.size() > 3 ? " and " + (changed.size() - 3) + " more" : "");
    }
    if (!last.specDigest().equals(BuildRecords.specDigest(prepared))) {
      return "spec changed";
    }
    return "build settings changed";
  }

  private static List<String> changedInputs(Map<String, String> before, Map<String, String> now) {
    TreeSet<String> paths = new TreeSet<>(before.keySet());
    paths.addAll(now.keySet());
    List<String> out = new ArrayList<>();
    for (String path : paths) {
      String was = before.get(path);
      String is = now.get(path);
      if (was == null) {
        out.add(path + " (added)");
      } else if (is == null) {
        out.add(path + " (removed)");
      } else if (!was.equals(is)) {
        out.add(path);
      }
    }
    return out;
  }

  static String messageOf(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }

  /** Input lists for the journal's build records. */
  static final class BuildRecords {
    private BuildRecords() {}

    static Map<String, String> inputDigests(ImageBuilder.PreparedImage prepared) {
      Map<String, String> out = new java.util.TreeMap<>();
      for (InputFile input : prepared.inputs().values()) {
        String content = input.digest() != null ? input.digest().toString()
            : input.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (input.linkTarget() == null ? "" : " -> " + input.linkTarget());
        out.put(input.path(), content + " " + Integer.toOctalString(input.mode()));
      }
      return out;
    }

    static String specDigest(ImageBuilder.PreparedImage prepared) {
      return ContentKey.specDigest(prepared.spec());
    }
  }
}
