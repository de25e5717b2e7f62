package dev.berth.engine;

import dev.berth.oci.Descriptor;
import dev.berth.spec.ImageSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.berth.event.BuildListener;

/**
 * Builds one image into the store unless its content key is already there: resolve the base,
 * prepare inputs and key, build, then name it {@code NAME:KEYTAG} and its other tags.
 */
public final class KeyedBuild {
  private final ContentStore store;
  private final BaseResolver resolver;
  private final ImagePreparer preparer;
  private final Builder builder;
  private final BuildSettings settings;
  private AfterBuild afterBuild = AfterBuild.NONE;
  private dev.berth.emulation.Emulation emulation = dev.berth.emulation.Emulation.fromEnvironment(System.getenv());

  /** Builds with the native engine, running steps with {@code runner}. */
  public KeyedBuild(ContentStore store, BuildSettings settings, BaseResolver resolver,
      InputCollector.FileDigests digests, StepRunner runner, BuildListener progress) {
    this(store, settings, resolver, digests, new ImageBuilder(store, settings, runner, progress));
  }

  public KeyedBuild(ContentStore store, BuildSettings settings, BaseResolver resolver,
      InputCollector.FileDigests digests, Builder builder) {
    this.store = store;
    this.settings = settings;
    this.resolver = resolver;
    this.preparer = new ImagePreparer(settings, digests, store);
    this.builder = builder;
  }

  /**
   * Runs when an image was just built, before it is named: the SBOM and provenance are written here,
   * so an image present under its key has them.
   */
  public interface AfterBuild {
    void built(PreparedImage prepared, BaseImage base, Descriptor manifest, String builder)
        throws IOException;

    AfterBuild NONE = (prepared, base, manifest, builder) -> { };
  }

  /** How commands for a foreign platform are run (default: this machine's binfmt_misc entries). */
  public KeyedBuild emulation(dev.berth.emulation.Emulation value) {
    this.emulation = java.util.Objects.requireNonNull(value);
    return this;
  }

  /**
   * How the commands of {@code spec} (its steps that run commands, its {@code verify:} commands) run on
   * this machine; empty when it has none, since then nothing of it is executed.
   *
   * @throws dev.berth.emulation.EmulationUnavailableException when they cannot run here, saying what to install
   */
  public Optional<dev.berth.emulation.Execution> execution(ImageSpec spec) {
    boolean runs = !spec.verify().isEmpty() || spec.steps().stream().anyMatch(dev.berth.spec.StepSpec::runsCommands);
    return runs ? Optional.of(emulation.check(spec.platform())) : Optional.empty();
  }

  /** What runs after each image built now (default: nothing). */
  public KeyedBuild afterBuild(AfterBuild hook) {
    this.afterBuild = java.util.Objects.requireNonNull(hook);
    return this;
  }

  /**
   * What a build did: the image's manifest, its key, the names it has, whether it was built now, and
   * its changelog version (null: none).
   */
  public record Outcome(ImageSpec spec, ContentKey key, Descriptor manifest, List<String> refNames, boolean built,
      String version) {}

  /** Prepares an image whose base is outside the tree: resolving it may import it into the store. */
  public PreparedImage prepare(ImageSpec spec) throws IOException {
    return prepare(spec, java.util.Map.of());
  }

  /** As {@link #prepare(ImageSpec)}, for an image that copies from the tree images {@code sources}. */
  public PreparedImage prepare(ImageSpec spec, java.util.Map<String, ContentKey> sources)
      throws IOException {
    BaseImage base = resolver.resolve(spec.base(), spec.platform(), settings.created());
    return preparer.prepare(spec, new PlannedBase.External(base.identity()), withExternalSources(spec, sources));
  }

  /** Prepares an image whose base is the image with key {@code parentKey} of the same tree. */
  public PreparedImage prepareOnParent(ImageSpec spec, ContentKey parentKey) throws IOException {
    return prepareOnParent(spec, parentKey, java.util.Map.of());
  }

  public PreparedImage prepareOnParent(ImageSpec spec, ContentKey parentKey,
      java.util.Map<String, ContentKey> sources) throws IOException {
    return preparer.prepare(spec, new PlannedBase.TreeParent(parentKey), withExternalSources(spec, sources));
  }

  /**
   * The Docker reference a tree image's bare name also means ({@code busybox}:
   * {@code docker.io/library/busybox:latest}), when the store holds such an image: the tree's image
   * wins, and a plan says so.
   */
  public Optional<String> shadowedReference(String treeName) {
    try {
      dev.berth.oci.ImageReference reference = dev.berth.oci.ImageReference.parseDocker(treeName);
      return resolver.findInStore(reference).map(found -> reference.toString());
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code sources} plus each {@code COPY --from} image outside the tree, resolved as a base is (the
   * store, then the registry per the pull policy) and keyed by its manifest digest.
   */
  private java.util.Map<String, ContentKey> withExternalSources(ImageSpec spec, java.util.Map<String, ContentKey> sources)
      throws IOException {
    java.util.Map<String, ContentKey> out = new java.util.TreeMap<>(sources);
    for (int i = 0; i < spec.steps().size(); i++) {
      dev.berth.spec.StepSpec step = spec.steps().get(i);
      for (String source : step.sourceImages()) {
        if (out.containsKey(source)) {
          continue;
        }
        BaseImage image;
        try {
          image = resolver.resolve(source, spec.platform(), settings.created());
        } catch (BuildException e) {  // a Dockerfile's COPY --from or RUN --mount=from names its line
          java.util.Optional<String> origin = spec.stepOrigin(i);
          if (origin.isEmpty()) {
            throw e;
          }
          String flag = step instanceof dev.berth.spec.StepSpec.CopyFrom ? "COPY --from=" : "RUN --mount=from=";
          throw new BuildException(origin.get() + ": " + flag + source + " names no stage: " + e.getMessage(), e);
        }
        out.put(source, new ContentKey(image.manifestDescriptor().digest()));
      }
    }
    return out;
  }

  /** The base of an image whose base is outside the tree, resolved as a build resolves it. */
  public BaseImage externalBase(PreparedImage prepared) throws IOException {
    return resolver.resolve(prepared.spec().base(), prepared.spec().platform(), settings.created());
  }

  /** Lets the builder start on the image's file layers now; see {@link Builder#prefetch}. */
  public void prefetch(PreparedImage prepared) {
    builder.prefetch(prepared);
  }

  /** Ends the builder's work ahead; see {@link Builder#stopPrefetching}. */
  public void stopPrefetching() {
    builder.stopPrefetching();
  }

  /** Where the builder reports each step's timing; see {@link Builder#timingSteps}. */
  public void timingSteps(StepTimings timings) {
    builder.timingSteps(timings);
  }

  /** Whether the image's key tag is already in the store. */
  public Optional<Descriptor> existing(PreparedImage prepared) throws IOException {
    return store.resolve(keyName(prepared));
  }

  public static String keyName(PreparedImage prepared) {
    return prepared.spec().name() + ":" + prepared.key().tag();
  }

  /**
   * Builds unless present; the base is resolved now: a parent in the tree by its key tag. The image
   * is named by its key tag and its other tags ({@code {version}}: the prepared image's version).
   */
  public Outcome build(PreparedImage prepared, boolean force) throws IOException {
    String version = prepared.version();
    ImageSpec spec = prepared.spec();
    String keyName = keyName(prepared);
    Optional<Descriptor> existing = store.resolve(keyName);
    Descriptor manifest;
    boolean built;
    if (existing.isPresent() && !force) {
      manifest = existing.get().withoutAnnotations();
      built = false;
    } else {
      Optional<ContentKey> parent = prepared.base().treeParent();
      BaseImage base = parent.isPresent()
          ? resolver.resolveStored(spec.base() + ":" + parent.get().tag(), spec.platform())
          : resolver.resolve(spec.base(), spec.platform(), settings.created());
      manifest = builder.build(prepared, base).manifest();
      afterBuild.built(prepared, base, manifest, builder.name());
      built = true;
    }
    List<String> names = new ArrayList<>();
    for (String tag : Tags.expand(spec, prepared.key(), version)) {
      String refName = spec.name() + ":" + tag;
      if (!refName.equals(keyName)) {
        names.add(refName);
      }
    }
    names.add(keyName);
    // The key name last: once it exists, the image counts as present.
    for (String name : names) {
      Optional<Descriptor> current = name.equals(keyName) ? existing : store.resolve(name);
      if (current.isEmpty() || !current.get().digest().equals(manifest.digest())) {
        store.tag(name, manifest);
      }
    }
    names.remove(keyName);
    names.add(0, keyName);
    return new Outcome(spec, prepared.key(), manifest, names, built, version);
  }
}
