package dev.berth.plan;

import dev.berth.engine.ContentKey;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.engine.InputFile;
import dev.berth.engine.KeyedBuild;
import dev.berth.graph.ImageGraph;
import dev.berth.spec.ImageSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/** Works out each selected image's key and whether it must be built, and why. */
public final class Planner {
  private final KeyedBuild build;
  private final Journal journal;
  private final RemoteCheck remote;
  private final int parallelism;
  /** Registry HEAD requests in flight at once while planning. */
  private static final int REMOTE_CHECKS = 16;

  /** Whether an image's key tag is already in the registry (when publishing); empty when not asked. */
  public interface RemoteCheck {
    boolean has(ImageSpec spec, ContentKey key) throws IOException;

    RemoteCheck NONE = (spec, key) -> false;
  }

  /** A planner that works out keys on as many threads as there are processors. */
  public Planner(KeyedBuild build, Journal journal, RemoteCheck remote) {
    this(build, journal, remote, Runtime.getRuntime().availableProcessors());
  }

  /**
   * A planner that works out independent images' keys on {@code parallelism} threads (1: one after
   * the other on the calling thread). The keys and the plan do not depend on it.
   */
  public Planner(KeyedBuild build, Journal journal, RemoteCheck remote, int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
    }
    this.build = build;
    this.journal = journal;
    this.remote = remote;
    this.parallelism = parallelism;
  }

  /**
   * Plans in two passes: keys in dependency order (each needs its parent's), the registry asked about
   * each key the store lacks as soon as it is known, while the next keys are worked out; then each
   * image's action, parents first.
   */
  public Plan plan(ImageGraph graph, List<String> selection, boolean force) {
    try (PresenceChecks checks = new PresenceChecks(force)) {
      return plan(graph, selection, force, Map.of(), checks);
    }
  }

  /**
   * Plans {@code selection}, building the images of {@code rebuild} even when present, each with the
   * reason given there ({@code berth build --affected-by}); the others as usual.
   */
  public Plan plan(ImageGraph graph, List<String> selection, Map<String, String> rebuild) {
    try (PresenceChecks checks = new PresenceChecks(false)) {
      return plan(graph, selection, false, rebuild, checks);
    }
  }

  private Plan plan(ImageGraph graph, List<String> selection, boolean force, Map<String, String> rebuild,
      PresenceChecks checks) {
    Map<String, Prepared> prepared = new HashMap<>();
    try (KeyWork work = new KeyWork(parallelism)) {
      Map<String, CompletableFuture<Prepared>> pending = prepareAll(graph, selection, work);
      // the store (and registry) are asked about each key in order, as soon as it is known
      for (String name : selection) {
        prepared.put(name, work.join(pending.get(name)));
        checks.start(name, prepared.get(name).image());
      }
    }
    Map<String, Presence> presence = checks.results();
    Map<String, Plan.Item> byName = new HashMap<>();
    List<Plan.Item> items = new ArrayList<>();
    for (String name : selection) {
      ImageSpec spec = graph.spec(name);
      Optional<String> parent = graph.parent(name);
      List<String> dependsOn = graph.dependencies(name);
      Plan.Item parentItem = parent.map(byName::get).orElse(null);
      Prepared mine = prepared.get(name);
      Plan.Item item;
      if (mine.blocked()) {
        item = new Plan.Item(name, null, Plan.Action.BLOCKED, "a dependency (" + String.join(", ", dependsOn)
            + ") cannot be built", dependsOn, spec, null);
      } else if (mine.error() != null) {
        item = new Plan.Item(name, null, Plan.Action.FAILED, mine.error(), dependsOn, spec, null);
      } else {
        String key = mine.image().key().tag();
        Presence found = presence.get(name);
        boolean parentBuilds = dependsOn.stream().map(byName::get)
            .anyMatch(dependency -> dependency != null && dependency.action() == Plan.Action.BUILD);
        if (found.error() != null) {
          item = new Plan.Item(name, key, Plan.Action.FAILED, found.error(), dependsOn, spec, mine.image());
        } else if (rebuild.containsKey(name)) {
          item = new Plan.Item(name, key, Plan.Action.BUILD, rebuild.get(name), dependsOn, spec, mine.image());
        } else if (!force && !parentBuilds && found.where() != null) {
          item = new Plan.Item(name, key, Plan.Action.CACHED, found.where(), dependsOn, spec, mine.image());
        } else {
          item = new Plan.Item(name, key, Plan.Action.BUILD, reason(spec, mine.image(), parent, force), dependsOn,
              spec, mine.image());
        }
      }
      if (item.action() == Plan.Action.BUILD) {
        item = withExecution(item);
      }
      String shadowed = parent.flatMap(build::shadowedReference).orElse(null);
      if (shadowed != null) {
        item = new Plan.Item(item.name(), item.key(), item.action(), item.reason() + "; base '" + parent.get()
            + "' is the tree's image, not " + shadowed + " of the store", item.dependsOn(), item.spec(),
            item.prepared());
      }
      byName.put(name, item);
      items.add(item);
    }
    return new Plan(items);
  }

  /**
   * Every selected image's key, each worked out once its parent's and its sources' are: an image
   * that is not yet known when a later one names it counts as missing, as in one pass in order.
   */
  private Map<String, CompletableFuture<Prepared>> prepareAll(ImageGraph graph, List<String> selection,
      KeyWork work) {
    Map<String, CompletableFuture<Prepared>> pending = new HashMap<>();
    for (String name : selection) {
      Optional<String> failure = graph.failure(name);
      if (failure.isPresent()) {
        pending.put(name, CompletableFuture.completedFuture(new Prepared(null, failure.get(), false)));
        continue;
      }
      Optional<String> parent = graph.parent(name);
      CompletableFuture<Prepared> parentFuture = parent.map(pending::get).orElse(null);
      Map<String, CompletableFuture<Prepared>> sources = new java.util.TreeMap<>();
      List<CompletableFuture<Prepared>> waits = new ArrayList<>();
      for (String dependency : graph.dependencies(name)) {
        if (!parent.map(dependency::equals).orElse(false)) {
          sources.put(dependency, pending.get(dependency));
        }
      }
      if (parentFuture != null) {
        waits.add(parentFuture);
      }
      sources.values().stream().filter(java.util.Objects::nonNull).forEach(waits::add);
      ImageSpec spec = graph.spec(name);
      pending.put(name, CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApplyAsync(ready -> {
        Map<String, Prepared> sourcesPrepared = new java.util.TreeMap<>();
        sources.forEach((dependency, future) -> sourcesPrepared.put(dependency, future == null ? null : future.join()));
        return prepare(spec, parent, parentFuture == null ? null : parentFuture.join(), sourcesPrepared);
      }, work.executor()));
    }
    return pending;
  }

  /**
   * The threads keys are worked out on: with one, the calling thread itself (each image then runs
   * when it is submitted, in the selection's order).
   */
  private static final class KeyWork implements AutoCloseable {
    private final java.util.concurrent.ExecutorService pool;

    KeyWork(int parallelism) {
      pool = parallelism == 1 ? null : java.util.concurrent.Executors.newFixedThreadPool(parallelism, runnable -> {
        Thread thread = new Thread(runnable, "berth-plan");
        thread.setDaemon(true);
        return thread;
      });
    }

    java.util.concurrent.Executor executor() {
      return pool == null ? Runnable::run : pool;
    }

    /** The result; an Error thrown while working it out is thrown here. */
    <T> T join(CompletableFuture<T> future) {
      try {
        return future.join();
      } catch (java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        if (e.getCause() instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw e;
      }
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  /**
   * An image to build, marked when its commands run under emulation; FAILED, saying what to install,
   * when they cannot run on this machine at all (refused before anything is built or written).
   */
  private Plan.Item withExecution(Plan.Item item) {
    try {
      return build.execution(item.spec()).flatMap(dev.berth.emulation.Execution::emulated)
          .map(item::withEmulated).orElse(item);
    } catch (dev.berth.emulation.EmulationUnavailableException e) {
      return new Plan.Item(item.name(), item.key(), Plan.Action.FAILED, e.getMessage(), item.dependsOn(),
          item.spec(), item.prepared());
    }
  }

  /** An image's key, or why it has none (its own error, or a parent's). */
  private record Prepared(PreparedImage image, String error, boolean blocked) {}

  /** Where an image's key was found ("in the store", "in the registry", or null), or why asking failed. */
  private record Presence(String where, String error) {}

  private Prepared prepare(ImageSpec spec, Optional<String> parent, Prepared parentPrepared,
      Map<String, Prepared> sources) {
    if (parentPrepared != null && parentPrepared.image() == null
        || sources.values().stream().anyMatch(source -> source == null || source.image() == null)) {
      return new Prepared(null, null, true);
    }
    Map<String, dev.berth.engine.ContentKey> sourceKeys = new java.util.TreeMap<>();
    sources.forEach((name, source) -> sourceKeys.put(name, source.image().key()));
    try {
      PreparedImage image = parentPrepared != null
          ? build.prepareOnParent(spec, parentPrepared.image().key(), sourceKeys)
          : build.prepare(spec, sourceKeys);
      // Tags that cannot be made (a changelog version such as 1.0~rc1) fail now, before anything is stored.
      dev.berth.engine.Tags.expand(spec, image.key(),
          dev.berth.spec.Changelog.read(spec.folder()).map(dev.berth.spec.Changelog::version).orElse(null));
      return new Prepared(image, null, false);
    } catch (IOException | RuntimeException e) {
      return new Prepared(null, messageOf(e), false);
    }
  }

  /** Where each key is: the store first, else the registry, asked on a few threads while planning goes on. */
  private final class PresenceChecks implements AutoCloseable {
    private final boolean force;
    private final Map<String, java.util.concurrent.CompletableFuture<Presence>> found = new HashMap<>();
    private java.util.concurrent.ExecutorService pool;

    PresenceChecks(boolean force) {
      this.force = force;
    }

    void start(String name, PreparedImage image) {
      found.put(name, image == null || force ? done(new Presence(null, null)) : check(image));
    }

    private java.util.concurrent.CompletableFuture<Presence> check(PreparedImage image) {
      try {
        if (build.existing(image).isPresent()) {
          return done(new Presence("in the store", null));
        }
      } catch (IOException | RuntimeException e) {
        return done(new Presence(null, messageOf(e)));
      }
      if (remote == RemoteCheck.NONE) {
        return done(new Presence(null, null));
      }
      if (pool == null) {
        pool = java.util.concurrent.Executors.newFixedThreadPool(REMOTE_CHECKS, runnable -> {
          Thread thread = new Thread(runnable, "berth-registry-check");
          thread.setDaemon(true);
          return thread;
        });
      }
      return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return new Presence(remote.has(image.spec(), image.key()) ? "in the registry" : null, null);
        } catch (IOException | RuntimeException e) {
          return new Presence(null, "cannot ask the registry: " + messageOf(e));
        }
      }, pool);
    }

    Map<String, Presence> results() {
      Map<String, Presence> out = new HashMap<>();
      found.forEach((name, presence) -> out.put(name, presence.join()));
      return out;
    }

    private static java.util.concurrent.CompletableFuture<Presence> done(Presence presence) {
      return java.util.concurrent.CompletableFuture.completedFuture(presence);
    }

    @Override
    public void close() {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private String reason(ImageSpec spec, PreparedImage prepared, Optional<String> parent, boolean force) {
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
    if (prepared.version() != null && !prepared.version().equals(last.version())) {
      return "version " + (last.version() == null ? "set to " : last.version() + " -> ") + prepared.version();
    }
    if (!last.base().equals(prepared.base().recorded())) {
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
    return dev.berth.text.ErrorText.of(e);
  }

  /** Input lists for the journal's build records. */
  static final class BuildRecords {
    private BuildRecords() {}

    static Map<String, String> inputDigests(PreparedImage prepared) {
      Map<String, String> out = new java.util.TreeMap<>();
      for (InputFile input : prepared.inputs().values()) {
        String content = input.digest() != null ? input.digest().toString()
            : input.kind().name().toLowerCase(java.util.Locale.ROOT)
                + (input.linkTarget() == null ? "" : " -> " + input.linkTarget());
        out.put(input.path(), content + " " + Integer.toOctalString(input.mode()));
      }
      return out;
    }

    static String specDigest(PreparedImage prepared) {
      return ContentKey.specDigest(prepared.spec());
    }
  }
}
