package dev.berth.engine;

import dev.berth.layer.LayerBlob;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import dev.berth.layer.StepCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * The native engine: builds one image from its spec, base and inputs, step by step, straight into
 * the store. File steps become reproducible tar layers; run-like steps go to a {@link StepRunner}.
 * Each step's layer is cached under a key chained from the previous step's, so an unchanged step is
 * not done again when a later one changed.
 *
 * <p>A file layer that depends only on its own inputs (a copy to an absolute path with no owner
 * names, a merged layer) is also cached under a content key, and {@link #prefetch} writes such
 * layers on a background thread while earlier steps and images still run.
 */
public final class ImageBuilder implements Builder {
  public static final String NAME = "native";

  private final ContentStore store;
  private final StepCache stepCache;
  private final BuildSettings settings;
  private final StepRunner runner;
  private final BuildListener progress;
  private final Map<Digest, Prefetch> prefetched = new java.util.concurrent.ConcurrentHashMap<>();
  private java.util.concurrent.ExecutorService prefetcher;
  private volatile StepTimings timings = StepTimings.NONE;

  public ImageBuilder(ContentStore store, BuildSettings settings, StepRunner runner, BuildListener progress) {
    this.store = store;
    this.stepCache = new StepCache(store);
    this.settings = settings;
    this.runner = runner;
    this.progress = progress;
  }

  /** The image written to the store: its manifest, and the content key it was built under. */
  public record BuiltImage(Descriptor manifest, ContentKey key) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public BuiltImage build(PreparedImage prepared, BaseImage base) throws IOException {
    ImageSpec spec = prepared.spec();
    ImageConfig config = base.config().withCreated(settings.created());
    List<LayerBlob> layers = new ArrayList<>(base.layers());
    if (prepared.base().treeParent().isEmpty() && !base.identity().equals(prepared.base().recorded())) {
      throw new BuildException(spec.name() + ": the base moved while it was built (" + prepared.base().recorded()
          + " planned, " + base.identity() + " found)");
    }
    Digest chain = Digest.sha256(("base " + base.identity()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    BuildState state = new BuildState(config, layers);
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      List<InputFile> inputs = prepared.stepInputs().get(i);
      chain = stepKey(chain, step, inputs, state, prepared);
      String label = "step " + (i + 1) + "/" + spec.steps().size() + " " + describe(step);
      state.stepIndex = i + 1;
      state.stepCount = spec.steps().size();
      java.time.Instant started = java.time.Instant.now();
      long startNanos = System.nanoTime();
      state.reused = false;
      try {
        apply(spec, step, inputs, chain, label, state, prepared.sources());
      } catch (BuildException e) {  // a Dockerfile step's failure names its line, as Docker's do
        java.util.Optional<String> origin = spec.stepOrigin(i);
        if (origin.isEmpty() || e.getMessage().contains(origin.get())) {
          throw e;
        }
        throw new BuildException(origin.get() + ": " + e.getMessage(), e);
      }
      timings.step(spec.name(), i, label, state.reused, started, java.time.Duration.ofNanos(System.nanoTime() - startNanos));
    }
    VolumeCheck.check(store, spec, state.layers);
    ImageConfig finalConfig = RuntimeConfigs.apply(state.config, spec.config());
    byte[] configJson = finalConfig.toJson();
    Descriptor configDescriptor = store.writeBlob(MediaTypes.OCI_CONFIG, configJson);
    List<Descriptor> layerDescriptors = state.layers.stream().map(LayerBlob::descriptor).toList();
    ImageManifest manifest = ImageManifest.oci(configDescriptor, layerDescriptors);
    Descriptor manifestDescriptor = store.writeBlob(MediaTypes.OCI_MANIFEST, manifest.toJson());
    return new BuiltImage(manifestDescriptor, prepared.key());
  }

  private void apply(ImageSpec spec, StepSpec step, List<InputFile> inputs, Digest stepKey, String label,
      BuildState state, java.util.Map<String, ContentKey> sources) throws IOException {
    if (step.accept(new ConfigSteps(store, settings, state))) {
      return;
    }
    for (String image : step.sourceImages()) {
      if (!sources.containsKey(image)) {
        throw new BuildException(spec.name() + ": " + label + ": the image " + image
            + " this step reads was not resolved before the build");
      }
    }
    Optional<StepSpec.Copy> contextCopy = FileSteps.contextCopy(step);
    if (contextCopy.isPresent() && inputs.isEmpty()) {  // --exclude left nothing of a file source
      return;
    }
    var cached = settings.stepReuse() == StepReuse.NEVER ? Optional.<LayerBlob>empty() : stepCache.find(stepKey);
    if (cached.isPresent()) {
      finished(spec, step, state, BuildEvent.Cache.HIT, 0);
      state.reused = true;
      state.addLayer(cached.get(), "berth " + describe(step));
      return;
    }
    Digest contentKey = fileLayerKey(step, inputs);
    if (contentKey != null && contextCopy.isPresent() && !ContextCopy.independentOfLower(store,
        FileSteps.resolved(contextCopy.get(), state), inputs, state.layers)) {
      contentKey = null;  // what the image below holds shapes this layer: written now, not ahead
    }
    Optional<LayerBlob> ready = contentKey == null ? Optional.empty() : fileLayer(contentKey);
    if (ready.isPresent()) {
      finished(spec, step, state, BuildEvent.Cache.PREPARED, 0);
      state.reused = true;
      stepCache.put(stepKey, ready.get());
      state.addLayer(ready.get(), "berth " + describe(step));
      return;
    }
    long started = System.nanoTime();
    state.emulated = step.runsCommands() ? runner.execution(spec.platform()).emulated().orElse(null) : null;
    progress.on(new BuildEvent.StepStarted(spec.name(), state.stepIndex, state.stepCount, describe(step),
        state.emulated));
    Optional<LayerBlob> written = step.accept(new FileSteps.Writer(store, settings, spec.folder(), inputs, state) {
      @Override
      String sourceName(String image) throws IOException {
        return ImageBuilder.this.sourceName(image, sources.get(image));
      }
    });
    LayerBlob layer;
    if (written.isPresent()) {
      layer = written.get();
    } else {
      java.util.Map<String, String> mountImages = new TreeMap<>();
      for (String image : step.sourceImages()) {
        mountImages.put(image, sourceName(image, sources.get(image)));
      }
      StepRunner.Result result = runner.run(new StepRunner.Request(spec, step, label, state.config,
          List.copyOf(state.layers), settings, state.shell, state.buildArgs, inputs, mountImages, spec.platform()));
      state.emulated = result.execution().emulated().orElse(null);
      if (result.layer().isEmpty()) {
        state.config = state.config.withEmptyLayerHistory("berth " + describe(step));
        finished(spec, step, state, BuildEvent.Cache.MISS, started);
        return;
      }
      layer = result.layer().get();
    }
    stepCache.put(stepKey, layer);
    if (contentKey != null) {
      stepCache.put(contentKey, layer);
    }
    state.addLayer(layer, "berth " + describe(step));
    progress.on(new BuildEvent.LayerWritten(spec.name(), state.stepIndex, state.stepCount, describe(step),
        layer.descriptor().size(), java.time.Duration.ofNanos(System.nanoTime() - started)));
    finished(spec, step, state, BuildEvent.Cache.MISS, started);
  }

  /** Reports a step done; {@code started} is its System.nanoTime() start, 0 when it took no time. */
  private void finished(ImageSpec spec, StepSpec step, BuildState state, BuildEvent.Cache cache, long started) {
    progress.on(new BuildEvent.StepFinished(spec.name(), state.stepIndex, state.stepCount, describe(step), cache,
        java.time.Duration.ofNanos(started == 0 ? 0 : System.nanoTime() - started),
        cache == BuildEvent.Cache.MISS ? state.emulated : null));
  }

  @Override
  public void timingSteps(StepTimings value) {
    this.timings = value;
  }

  @Override
  public void prefetch(PreparedImage prepared) {
    ImageSpec spec = prepared.spec();
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      int index = i;
      List<InputFile> inputs = prepared.stepInputs().get(i);
      Digest key = fileLayerKey(step, inputs);
      if (key == null) {
        continue;
      }
      try {
        if (settings.stepReuse() != StepReuse.NEVER && stepCache.find(key).isPresent()) {
          continue;
        }
      } catch (IOException unreadable) {
        continue;
      }
      prefetched.computeIfAbsent(key, ignored -> {
        Prefetch prefetch = new Prefetch();
        prefetcher().execute(() -> {
          if (!prefetch.claimed.compareAndSet(false, true)) {
            return;  // the build got there first and writes the layer itself
          }
          try {
            long started = System.nanoTime();
            LayerBlob layer = writeFileLayer(spec, step, inputs);
            stepCache.put(key, layer);
            progress.on(new BuildEvent.LayerWritten(spec.name(), index + 1, spec.steps().size(), describe(step),
                layer.descriptor().size(), java.time.Duration.ofNanos(System.nanoTime() - started)));
            prefetch.result.complete(layer);
          } catch (IOException | RuntimeException e) {
            prefetch.result.completeExceptionally(e);
          }
        });
        return prefetch;
      });
    }
  }

  @Override
  public void stopPrefetching() {
    for (Prefetch prefetch : prefetched.values()) {
      if (!prefetch.claimed.compareAndSet(false, true)) {
        try {
          prefetch.result.join();  // started: let it finish its blob rather than leave it half-written
        } catch (java.util.concurrent.CompletionException ignored) {
          // a failed write ahead leaves nothing in the store
        }
      }
    }
    prefetched.clear();
  }

  /** A file layer queued to be written ahead; whoever claims it first (prefetcher or build) writes it. */
  private static final class Prefetch {
    final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.CompletableFuture<LayerBlob> result = new java.util.concurrent.CompletableFuture<>();
  }

  private LayerBlob writeFileLayer(ImageSpec spec, StepSpec step, List<InputFile> inputs) throws IOException {
    // a self-contained file step: written as if on an empty image (see fileLayerKey)
    return step.accept(new FileSteps.Writer(store, settings, spec.folder(), inputs, new BuildState(null, List.of())) {
      @Override
      String sourceName(String image) {
        throw new IllegalStateException("a step that reads an image is not written ahead");
      }
    }).orElseThrow();
  }

  private synchronized java.util.concurrent.ExecutorService prefetcher() {
    if (prefetcher == null) {
      prefetcher = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "berth-prefetch");
        thread.setDaemon(true);
        return thread;
      });
    }
    return prefetcher;
  }

  /** A layer written ahead by {@link #prefetch}, or cached under its content key; empty when it must be written now. */
  private Optional<LayerBlob> fileLayer(Digest contentKey) throws IOException {
    Prefetch prefetch = prefetched.get(contentKey);
    if (prefetch != null && !prefetch.claimed.compareAndSet(false, true)) {
      try {
        return Optional.of(prefetch.result.join());
      } catch (java.util.concurrent.CompletionException failed) {
        prefetched.remove(contentKey, prefetch);
        return Optional.empty();  // written again in the build's own thread, where an error is reported
      }
    }
    if (prefetch != null) {
      prefetched.remove(contentKey, prefetch);  // not started yet: the build writes it now
    }
    return settings.stepReuse() == StepReuse.NEVER ? Optional.empty() : stepCache.find(contentKey);
  }

  /**
   * The content key of a file layer that depends on nothing but its own inputs, or null: copies to
   * a relative path depend on the working directory, and owner names on the image's /etc/passwd.
   */
  private Digest fileLayerKey(StepSpec step, List<InputFile> inputs) {
    if (!FileSteps.selfContained(step) || inputs.isEmpty()) {
      return null;
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("fileLayer", StepJson.step(step));
    document.put("inputs", inputs);
    document.put("settings", settings.keyFields());
    return Digest.sha256(Json.canonical(document));
  }

  private Digest stepKey(Digest previous, StepSpec step, List<InputFile> inputs, BuildState state,
      PreparedImage prepared) {
    java.util.Map<String, ContentKey> sources = prepared.sources();
    ImageConfig configSoFar = state.config;
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("previous", previous.toString());
    document.put("step", StepJson.step(step));
    document.put("inputs", inputs);
    document.put("settings", settings.keyFields());
    Optional<String> copiedImage = FileSteps.copiedImage(step).filter(sources::containsKey);
    if (copiedImage.isPresent()) {
      document.put("source", sources.get(copiedImage.get()).toString());
      document.put("workdir", configSoFar.config().workingDir());
    } else if (!step.sourceImages().isEmpty()) {  // RUN --mount=from: what the mounts show
      java.util.Map<String, String> shown = new TreeMap<>();
      step.sourceImages().forEach(image -> shown.put(image, String.valueOf(sources.get(image))));
      document.put("mountSources", shown);
    }
    if (!FileSteps.keyedWithoutConfig(step)) {
      document.put("env", configSoFar.config().env());
      document.put("user", configSoFar.config().user());
      document.put("workdir", configSoFar.config().workingDir());
      document.put("shell", state.shell);
      java.util.Map<String, String> args = new TreeMap<>(state.buildArgs);
      args.keySet().removeAll(dev.berth.dockerfile.DockerfileFrontend.PROXY_ARGS);
      document.put("buildArgs", args);
      if (settings.stepReuse() == StepReuse.VERSIONED && prepared.version() != null) {
        document.put("version", prepared.version());  // a new version runs its commands again: fresh packages
      }
    }
    return Digest.sha256(Json.canonical(document));
  }

  static String describe(StepSpec step) {
    return StepJson.step(step).entrySet().iterator().next().getKey() + " "
        + Json.mapper().valueToTree(StepJson.step(step).values().iterator().next()).toString();
  }

  /** A tree image by its key tag; an image from outside the tree ({@code @DIGEST}) by its manifest digest. */
  private String sourceName(String image, ContentKey key) throws IOException {
    String treeName = image + ":" + key.tag();
    return dev.berth.oci.ImageReference.isValidRepository(image) && store.resolve(treeName).isPresent() ? treeName
        : "@" + key.digest();
  }
}
