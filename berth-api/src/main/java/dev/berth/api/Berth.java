package dev.berth.api;

import dev.berth.api.publish.Publishing;
import dev.berth.api.publish.RegistryClients;
import dev.berth.event.BuildListener;
import dev.berth.layer.Compression;
import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * berth as a library: a content store, where images are published, and who hears about progress.
 * Immutable; each {@code withX}-style method returns a changed copy sharing the store and registry
 * connections.
 *
 * <pre>{@code
 * try (Berth berth = Berth.store(Path.of("/var/cache/berth")).registry("registry.example.org/team")) {
 *   RunResult result = berth.publish(spec);           // build, verify, push: one result per image
 *   RunResult tree = berth.tree(Path.of("images")).build();
 * }
 * }</pre>
 */
public final class Berth implements AutoCloseable {
  private final ContentStore store;
  private final RegistryClients registries;
  private final String registry;
  private final BuildListener listener;
  private final String builder;
  private final Path workDirectory;
  private final int jobs;
  private final Compression compression;
  private final String pull;

  private Berth(ContentStore store, RegistryClients registries, String registry, BuildListener listener, String builder,
      Path workDirectory, int jobs, Compression compression, String pull) {
    this.store = store;
    this.registries = registries;
    this.registry = registry;
    this.listener = listener;
    this.builder = builder;
    this.workDirectory = workDirectory;
    this.jobs = jobs;
    this.compression = compression;
    this.pull = pull;
  }

  /** berth on the content store (an OCI image layout) at {@code root}, made when missing. */
  public static Berth store(Path root) throws IOException {
    ContentStore store = ContentStore.open(root);
    return new Berth(store, RegistryClients.fromEnvironment(), null, BuildListener.NONE, "auto",
        store.root().resolve("berth-api"), Runtime.getRuntime().availableProcessors(), Compression.GZIP, "missing");
  }

  /** berth on the CLI's store: {@code $BERTH_STORE}, else {@code ${XDG_CACHE_HOME:-~/.cache}/berth/store}. */
  public static Berth defaultStore() throws IOException {
    return store(ContentStore.defaultLocation(System.getenv()));
  }

  /** Publishes to {@code hostAndNamespace} ({@code HOST[:PORT][/NAMESPACE]}). */
  public Berth registry(String hostAndNamespace) {
    return new Berth(store, registries, Objects.requireNonNull(hostAndNamespace), listener, builder, workDirectory,
        jobs, compression, pull);
  }

  /** Reaches registries with these clients (credentials, CAs, plain HTTP) instead of docker's config. */
  public Berth registries(RegistryClients clients) {
    return new Berth(store, clients, registry, listener, builder, workDirectory, jobs, compression, pull);
  }

  /** Hears every {@link dev.berth.event.BuildEvent} of the runs. */
  public Berth listener(BuildListener value) {
    return new Berth(store, registries, registry, value, builder, workDirectory, jobs, compression, pull);
  }

  /** The builder: {@code auto} (default: the first available), {@code native}, {@code docker}, or a provider's name. */
  public Berth builder(String name) {
    return new Berth(store, registries, registry, listener, name, workDirectory, jobs, compression, pull);
  }

  /** Where runs of specs keep their journal (default: {@code STORE/berth-api}). */
  public Berth workDirectory(Path directory) {
    return new Berth(store, registries, registry, listener, builder, directory.toAbsolutePath(), jobs, compression,
        pull);
  }

  /** At most {@code value} images built at once. */
  public Berth jobs(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + value);
    }
    return new Berth(store, registries, registry, listener, builder, workDirectory, value, compression, pull);
  }

  /** When bases are pulled: {@code missing} (default), {@code always}, {@code never}. */
  public Berth pull(String policy) {
    dev.berth.engine.PullPolicy.parse(policy);
    return new Berth(store, registries, registry, listener, builder, workDirectory, jobs, compression, policy);
  }

  /** Layer compression, part of the key: {@code gzip} (default), {@code zstd}, {@code none}. */
  public Berth compression(String name) {
    return new Berth(store, registries, registry, listener, builder, workDirectory, jobs, Compression.parse(name),
        pull);
  }

  public ContentStore contentStore() {
    return store;
  }

  /** The tree of image folders at {@code root} (image.yaml, docker-pkg, Dockerfiles), as {@code berth build} reads it. */
  public Tree tree(Path root) {
    return new Tree.FolderTree(this, root);
  }

  /** {@code specs} and the specs they are based on, as one tree. */
  public Tree tree(ImageSpec... specs) {
    return new Tree.SpecsTree(this, List.of(specs));
  }

  /** What building {@code spec} would do, for it and each spec it is based on. */
  public List<PlannedImage> plan(ImageSpec spec) throws IOException {
    return tree(spec).plan();
  }

  /** {@code spec}'s content key: the tag {@code berth build} gives the equivalent image.yaml. */
  public String key(ImageSpec spec) throws IOException {
    PlannedImage planned = plannedItself(spec);
    if (planned.key() == null) {
      throw new IllegalArgumentException(spec.name() + ": " + planned.reason());
    }
    return planned.key();
  }

  /** {@code REGISTRY/NAME:KEY} when a registry is known, else the store name {@code NAME:KEY}. */
  public String imageName(ImageSpec spec) throws IOException {
    String key = key(spec);
    Optional<Publishing> target = publishing(spec.registry());
    return target.isPresent() ? target.get().target(spec.name(), key).toString() : spec.name() + ":" + key;
  }

  /**
   * Whether {@code spec}'s key is in its registry (none known: in the store). A registry that cannot
   * be asked gives {@link Existence.Unknown} with the error, never a guess.
   */
  public Existence exists(ImageSpec spec) throws IOException {
    String key = key(spec);
    Optional<Publishing> target = publishing(spec.registry());
    if (target.isEmpty()) {
      Optional<Descriptor> stored = store.resolve(spec.name() + ":" + key);
      return stored.<Existence>map(found -> new Existence.Present(spec.name() + ":" + key, found.digest()))
          .orElse(new Existence.Absent(spec.name() + ":" + key));
    }
    String reference = target.get().target(spec.name(), key).toString();
    try {
      return target.get().find(spec.name(), key).<Existence>map(found -> new Existence.Present(reference, found.digest()))
          .orElse(new Existence.Absent(reference));
    } catch (IOException | RuntimeException e) {
      return new Existence.Unknown(reference, e);
    }
  }

  /** Builds {@code spec} (and the specs it is based on) into the store and runs its checks. */
  public RunResult build(ImageSpec spec) throws IOException {
    return tree(spec).build();
  }

  /** As {@link #build}, then pushes the verified images to the registry; flytekit's build with push. */
  public RunResult publish(ImageSpec spec) throws IOException {
    return tree(spec).publish();
  }

  /** Closes the registry connections. */
  @Override
  public void close() {
    registries.close();
  }

  private PlannedImage plannedItself(ImageSpec spec) throws IOException {
    return plan(spec).stream().filter(item -> item.name().equals(spec.name())).findFirst().orElseThrow();
  }

  Optional<Publishing> publishing(String treeRegistry) {
    return Publishing.from(registry, treeRegistry, registries, store);
  }

  ContentStore store() {
    return store;
  }

  RegistryClients registryClients() {
    return registries;
  }

  BuildListener listener() {
    return listener;
  }

  String builderName() {
    return builder;
  }

  Path workDirectory() throws IOException {
    return Files.createDirectories(workDirectory);
  }

  int jobs() {
    return jobs;
  }

  Compression compression() {
    return compression;
  }

  String pullPolicy() {
    return pull;
  }
}
