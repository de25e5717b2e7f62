package dev.berth.api.tree;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.api.publish.Publishing;
import dev.berth.api.verify.Verifiers;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.ContentKey;
import dev.berth.engine.KeyedBuild;
import dev.berth.engine.PlatformIndex;
import dev.berth.engine.Tags;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import dev.berth.graph.PlatformTrees;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Platform;
import dev.berth.oci.Platforms;
import dev.berth.plan.ImageState;
import dev.berth.plan.Plan;
import dev.berth.plan.TreeBuild;
import dev.berth.spec.ImageSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A run over several platforms: each platform's part of the tree is planned, built, verified and
 * published as a run of its own (its own keys and journal); then each image built for several platforms
 * gets an OCI index over its children, written to the store and, when publishing, pushed last.
 */
public final class MultiPlatformRun implements AutoCloseable {
  private final TreeScanner.Tree tree;
  private final Platforms platforms;
  private final List<Part> parts = new ArrayList<>();
  private final Optional<Publishing> publishing;
  private final BuildListener listener;
  private int jobs = Runtime.getRuntime().availableProcessors();
  private boolean debug;
  private Optional<dev.berth.plan.Affected.Query> affected = Optional.empty();

  /** One platform's part: its session over the images built for it. */
  public record Part(Platform platform, Session session) {}

  /** One platform's plan. */
  public record PlatformPlan(@JsonProperty("platform") String platform, @JsonProperty("images") List<Plan.Item> images) {}

  /** One platform's run. */
  public record PlatformResult(@JsonProperty("platform") String platform,
      @JsonProperty("images") List<TreeBuild.Result> images) {}

  /** The index of an image built for several platforms, or why it has none. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record IndexResult(@JsonProperty("name") String name, @JsonProperty("key") String key,
      @JsonProperty("digest") String digest, @JsonProperty("state") ImageState state,
      @JsonProperty("platforms") List<String> platforms, @JsonProperty("references") List<String> references,
      @JsonProperty("cause") String cause) {}

  /** The whole run: each platform's images, then the indexes. */
  public record Result(@JsonProperty("platforms") List<PlatformResult> platforms,
      @JsonProperty("indexes") List<IndexResult> indexes) {
    public boolean succeeded() {
      return platforms.stream().allMatch(part -> new TreeBuild.RunResult(part.images()).succeeded())
          && indexes.stream().noneMatch(index -> index.state().isFailure());
    }
  }

  /** Opens one platform's session over the images {@code shape} keeps of the tree read for it. */
  @FunctionalInterface
  public interface Opener {
    Session open(Platform platform, java.util.function.UnaryOperator<TreeScanner.Tree> shape) throws IOException;
  }

  /**
   * Opens one session per platform of {@code platforms} with {@code opener}.
   *
   * @param tree the tree as read once, for the platforms its images name
   * @param publishing where children and indexes are pushed; empty: nothing is published
   */
  public MultiPlatformRun(TreeScanner.Tree tree, Platforms platforms, Opener opener, Optional<Publishing> publishing,
      BuildListener listener) throws IOException {
    this.tree = tree;
    this.platforms = platforms;
    this.publishing = publishing.map(target -> target.reporting(listener));
    this.listener = listener;
    try {
      for (Platform platform : platforms.list()) {
        parts.add(new Part(platform, opener.open(platform,
            scanned -> PlatformTrees.forPlatform(scanned, platform, platforms))));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A run over {@code request}'s tree, read again for each platform (its Dockerfiles' TARGETPLATFORM is that one). */
  public static MultiPlatformRun of(TreeRequest request, TreeScanner.Tree tree, Platforms platforms,
      ContentStore store, String builder, BuildSettings settings, Optional<Publishing> publishing,
      BuildListener listener) throws IOException {
    return new MultiPlatformRun(tree, platforms, (platform, shape) -> new Session(request, store, builder, listener,
        settings, platform, shape), publishing, listener);
  }

  public MultiPlatformRun jobs(int value) {
    this.jobs = value;
    return this;
  }

  public MultiPlatformRun debugging(boolean enabled) {
    this.debug = enabled;
    return this;
  }

  /**
   * On every platform, only the images whose SBOM for that platform holds {@code query}'s package (and
   * those built on them), rebuilt with their package steps run afresh; an index takes the children of the
   * platforms where its image is not affected as they are. One record for the tree's run, finished when
   * every platform is done, so the same command resumes where a platform failed.
   */
  public MultiPlatformRun affectedBy(Optional<dev.berth.plan.Affected.Query> query) {
    this.affected = query;
    return this;
  }

  public List<Part> parts() {
    return List.copyOf(parts);
  }

  /** Each platform's plan, in the run's platform order. */
  public List<PlatformPlan> plan(boolean force) throws IOException {
    List<PlatformPlan> out = new ArrayList<>();
    for (Part part : parts) {
      out.add(new PlatformPlan(part.platform().toString(), treeRun(part).plan(force).images()));
    }
    return out;
  }

  /**
   * The plan of each index of the images built for several platforms, from {@code plans} (as {@link #plan}
   * returned them, in the run's platform order), in build order.
   */
  public List<IndexPlan> indexPlans(List<PlatformPlan> plans) throws IOException {
    List<IndexPlan> out = new ArrayList<>();
    ContentStore store = store();
    java.util.Map<Integer, Plan> ordinary = new java.util.HashMap<>();
    for (String name : tree.graph().order()) {
      if (!PlatformTrees.indexed(tree, name, platforms)
          || plans.stream().noneMatch(plan -> plan.images().stream().anyMatch(item -> item.name().equals(name)))) {
        continue;
      }
      List<IndexPlan.Child> children = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        Platform platform = parts.get(i).platform();
        item(name, i, new Plan(plans.get(i).images()), ordinary).ifPresent(item ->
            children.add(new IndexPlan.Child(platform, item.action(),
                item.prepared() == null ? null : item.prepared().key())));
      }
      if (!children.isEmpty()) {
        out.add(IndexPlan.of(name, children, key -> present(store, name + ":" + key.tag())));
      }
    }
    return out;
  }

  private static boolean present(ContentStore store, String refName) {
    try {
      return store.resolve(refName).isPresent();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Plans every platform first (an image that cannot be planned on any of them stops everything before
   * anything is built), then runs {@code phase} platform by platform, then writes and pushes the indexes.
   */
  public Result run(TreeBuild.Phase phase, boolean force) throws IOException {
    Optional<dev.berth.plan.AffectedRun> affectedRun = affected.isEmpty() ? Optional.empty()
        : Optional.of(dev.berth.plan.AffectedRun.begin(tree.root(), affected.get(), java.time.Instant.now()));
    List<Plan> plans = new ArrayList<>();
    for (Part part : parts) {
      Plan plan = treeRun(part).plan(force);
      treeRun(part).refuseInvalid(plan);
      plans.add(plan);
    }
    List<PlatformResult> results = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      TreeBuild.RunResult result = treeRun(part).run(plans.get(i), phase, force || affected.isPresent(),
          Verifiers.runc(part.session().store, part.session().run, listener));
      results.add(new PlatformResult(part.platform().toString(), result.images()));
    }
    List<IndexResult> indexes = new ArrayList<>();
    for (String name : tree.graph().order()) {
      if (PlatformTrees.indexed(tree, name, platforms) && planned(plans, name)) {
        indexes.add(index(name, plans, results));
      }
    }
    Result result = new Result(results, indexes);
    if (affectedRun.isPresent() && result.succeeded()) {
      affectedRun.get().finish();
    }
    return result;
  }

  /**
   * Image {@code name} as planned for part {@code i}: in {@code plan}, else (an --affected-by run that
   * leaves it alone on that platform) as an ordinary plan of that platform has it, when it is built for it.
   */
  private Optional<Plan.Item> item(String name, int i, Plan plan, java.util.Map<Integer, Plan> ordinary)
      throws IOException {
    Optional<Plan.Item> item = plan.images().stream().filter(each -> each.name().equals(name)).findFirst();
    if (item.isPresent() || affected.isEmpty()
        || !PlatformTrees.platformsOf(tree, name, platforms).contains(parts.get(i).platform())) {
      return item;
    }
    if (!ordinary.containsKey(i)) {
      ordinary.put(i, treeRun(parts.get(i)).affectedBy(Optional.empty()).plan(false));
    }
    return ordinary.get(i).images().stream().filter(each -> each.name().equals(name)).findFirst();
  }

  private static boolean planned(List<Plan> plans, String name) {
    return plans.stream().anyMatch(plan -> plan.images().stream().anyMatch(item -> item.name().equals(name)));
  }

  private IndexResult index(String name, List<Plan> plans, List<PlatformResult> results) {
    List<PlatformIndex.Child> children = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String version = null;
    java.util.Map<Integer, Plan> ordinary = new java.util.HashMap<>();
    for (int i = 0; i < parts.size(); i++) {
      Optional<Plan.Item> item;
      try {
        item = item(name, i, plans.get(i), ordinary);
      } catch (IOException | RuntimeException e) {
        return new IndexResult(name, null, null, ImageState.FAILED, names, null, dev.berth.text.ErrorText.of(e));
      }
      Optional<TreeBuild.Result> result = results.get(i).images().stream()
          .filter(each -> each.name().equals(name)).findFirst();
      if (item.isEmpty()) {
        continue;  // not built for this platform
      }
      names.add(parts.get(i).platform().toString());
      Optional<String> failure = result.isPresent()
          ? Optional.of(result.get().state()).filter(ImageState::isFailure).map(ImageState::label)
          : Optional.of(item.get().action()).filter(action -> action != Plan.Action.CACHED).map(Plan.Action::label);
      if (failure.isPresent()) {
        return new IndexResult(name, null, null, ImageState.BLOCKED, names, null,
            "not every platform was built: " + parts.get(i).platform() + " " + failure.get());
      }
      ContentKey key = item.get().prepared().key();
      version = item.get().prepared().version();
      try {
        Descriptor manifest = parts.get(i).session().store.resolve(name + ":" + key.tag()).orElseThrow(
            () -> new IOException(name + ":" + key.tag() + " is not in the store"));
        children.add(new PlatformIndex.Child(parts.get(i).platform(), key, manifest.withoutAnnotations()));
      } catch (IOException e) {
        return new IndexResult(name, null, null, ImageState.FAILED, names, null, e.getMessage());
      }
    }
    ImageSpec spec = tree.graph().spec(name);
    ContentKey key = PlatformIndex.key(children);
    ContentStore store = parts.get(0).session().store;
    try {
      Optional<Descriptor> before = store.resolve(name + ":" + key.tag());
      PlatformIndex.Written written = PlatformIndex.write(store, name, children, Tags.expand(spec, key, version));
      boolean present = before.isPresent() && before.get().digest().equals(written.index().digest());
      if (publishing.isEmpty()) {
        return new IndexResult(name, key.tag(), written.index().digest().toString(),
            present ? ImageState.CACHED : ImageState.BUILT, names, written.refNames(), null);
      }
      List<String> pushed = publishing.get().publisher().publish(spec, new KeyedBuild.Outcome(spec, key,
          written.index(), written.refNames(), false, version));
      listener.on(new BuildEvent.Published(name, pushed));
      return new IndexResult(name, key.tag(), written.index().digest().toString(), ImageState.PUBLISHED, names,
          pushed, null);
    } catch (Exception e) {
      return new IndexResult(name, key.tag(), null, ImageState.FAILED, names, null,
          (publishing.isPresent() ? "index publish failed: " : "index failed: ") + dev.berth.text.ErrorText.of(e));
    }
  }

  /**
   * Writes image {@code name} of {@code result} to each of {@code targets}, as {@code docker buildx build
   * --platform a,b --output type=oci} does: its index with every child when it was built for several
   * platforms, else its one platform's manifest. Nothing is written when it failed on any platform.
   *
   * @throws IllegalArgumentException when a target cannot hold an index (a docker-archive)
   */
  public void write(Result result, String name, List<dev.berth.api.transfer.ImageOutput> targets) throws IOException {
    Optional<IndexResult> index = result.indexes().stream().filter(each -> each.name().equals(name)).findFirst();
    if (index.isPresent()) {
      if (index.get().state().isFailure()) {
        return;
      }
      String keyName = name + ":" + index.get().key();
      Descriptor made = store().resolve(keyName).orElseThrow(() -> new IOException(keyName + " is not in the store"));
      for (dev.berth.api.transfer.ImageOutput target : targets) {
        if (!target.holdsIndexes()) {
          throw new IllegalArgumentException(target + " holds one platform's image, not an index over " + platforms);
        }
        target.write(store(), made.withoutAnnotations(), keyName);
      }
      return;
    }
    for (PlatformResult part : result.platforms()) {
      for (TreeBuild.Result image : part.images()) {
        if (image.name().equals(name) && !image.state().isFailure()) {
          String keyName = name + ":" + image.key();
          Descriptor made = store().resolve(keyName).orElseThrow(() -> new IOException(keyName + " is not in the store"));
          for (dev.berth.api.transfer.ImageOutput target : targets) {
            target.write(store(), made.withoutAnnotations(), keyName);
          }
        }
      }
    }
  }

  /**
   * The platform {@link #load} puts into this machine's Docker engine: the first of the run's platforms
   * the machine runs natively. Call it before {@link #run}, so a run that cannot load builds nothing.
   *
   * @throws IllegalArgumentException when the machine runs none of them
   */
  public Platform loadable() {
    return platforms.servedBy(Platform.host()).orElseThrow(() -> new IllegalArgumentException("--load puts this "
        + "machine's platform (" + Platform.host() + ") into the Docker engine, and it is not among " + platforms));
  }

  /**
   * Loads the images {@code names} of {@code result} built for {@link #loadable} into the Docker engine
   * (an engine holds one platform per tag, as with {@code docker buildx build --load}), and warns which
   * platform was loaded. Returns that platform.
   */
  public Platform load(Result result, List<String> names) throws IOException {
    Platform chosen = loadable();
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).platform().equals(chosen)) {
        listener.on(new BuildEvent.Warning("", "--load: loading the " + chosen + " images only (of " + platforms
            + "); the Docker engine holds one platform per tag"));
        treeRun(parts.get(i)).load(new TreeBuild.RunResult(result.platforms().get(i).images()), names);
      }
    }
    return chosen;
  }

  private ContentStore store() {
    return parts.get(0).session().store;
  }

  private TreeRun treeRun(Part part) {
    return new TreeRun(part.session(), publishing, listener).jobs(jobs).debugging(debug).affectedBy(affected);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Part part : parts) {
      try {
        part.session().close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
