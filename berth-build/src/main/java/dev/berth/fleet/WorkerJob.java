package dev.berth.fleet;

import dev.berth.engine.BaseImage;
import dev.berth.engine.BuildException;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.ContentKey;
import dev.berth.engine.DockerBuilder;
import dev.berth.engine.DockerContext;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.engine.KeyedBuild;
import dev.berth.engine.Tags;
import dev.berth.engine.docker.DockerBuildException;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.engine.docker.EngineImages;
import dev.berth.oci.Descriptor;
import dev.berth.plan.ImageState;
import dev.berth.spec.Command;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;

/**
 * One image on one worker: its parent pulled there by digest (or its outside base loaded from the
 * store), berth's generated Dockerfile and context built by the engine, the {@code verify:} commands
 * run there as containers without network, then, unless the registry got the key meanwhile, the
 * engine pushes it under its key tag and its other tags.
 */
final class WorkerJob {
  /** The steps a job reports as it goes, so the journal follows it. */
  interface Stages {
    void entered(ImageState state);
  }

  /**
   * What the job left in the registry.
   *
   * @param pushedHere false when another run published the key between the build and the push
   */
  record Done(String digest, List<String> references, boolean pushedHere) {}

  private final ContentStore store;
  private final BuildSettings settings;
  private final KeyedBuild build;
  private final FleetRegistry registry;
  private final BuildListener log;
  /** The parents' manifests and configs read from the registry, by manifest digest: siblings share them. */
  private final Map<dev.berth.oci.Digest, BaseImage> bases = new java.util.concurrent.ConcurrentHashMap<>();

  WorkerJob(ContentStore store, BuildSettings settings, KeyedBuild build, FleetRegistry registry, BuildListener log) {
    this.store = store;
    this.settings = settings;
    this.build = build;
    this.registry = registry;
    this.log = log;
  }

  /**
   * @param parent the parent's manifest in the registry when the base is an image of the tree, else null
   */
  Done run(PreparedImage prepared, Descriptor parent, Worker worker, Fleet fleet, Stages stages)
      throws IOException {
    String name = prepared.spec().name();
    DockerEngine engine = worker.engine();
    EngineImages images = engine.registryOps();
    BaseImage base;
    String baseReference;
    if (parent != null) {
      String parentName = prepared.spec().base();
      baseReference = registry.repository(parentName) + "@" + parent.digest();
      if (engine.inspect(baseReference) == null) {  // a worker that built or pulled the parent has it by digest
        images.pull(registry.repository(parentName), parent.digest().toString(), registry.auth());
      }
      fleet.holds(worker, prepared.base().treeParent().orElseThrow().toString());
      base = bases.computeIfAbsent(parent.digest(), digest -> readBase(parentName, parent));
    } else {
      base = build.externalBase(prepared);
      baseReference = base.isScratch() ? "scratch" : DockerContext.loadFromStore(store, engine, base.manifestDescriptor());
    }
    Map<String, String> sources = sources(prepared, images, engine);
    String repository = registry.repository(name);
    String keyTag = prepared.key().tag();
    Path work = Files.createTempDirectory(store.tempDirectory(), "fleet-build-");
    try {
      DockerContext.Written context = DockerContext.write(prepared, base, baseReference, sources, store, settings, work);
      log.on(new BuildEvent.EngineBuild(name, "docker", worker.name()));
      try {
        engine.build(context.contextTar(), new DockerEngine.BuildRequest(repository + ":" + keyTag,
            context.networkMode(), Map.of(DockerBuilder.IMAGE_LABEL, name, DockerBuilder.KEY_LABEL,
                prepared.key().toString()), DockerContext.noCache(prepared, settings)),
            line -> {
              if (!line.startsWith(" ---> ") && !line.startsWith("Removing intermediate container")) {
                log.on(new BuildEvent.Output(name, line));
              }
            });
      } catch (DockerBuildException e) {
        throw new BuildException(name + ": docker engine " + worker.name() + ": " + e.getMessage());
      }
    } finally {
      try (var files = Files.list(work)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(work);
    }
    fleet.holds(worker, prepared.key().toString());
    stages.entered(ImageState.BUILT);
    stages.entered(ImageState.VERIFYING);
    for (Command check : prepared.spec().verify()) {
      EngineImages.Exit exit = images.run(repository + ":" + keyTag, check.argv(Command.DEFAULT_SHELL),
          line -> log.on(new BuildEvent.Output(name, line)));
      if (exit.status() != 0) {
        throw new BuildException("check '" + check.display() + "' exited with status " + exit.status()
            + " on " + worker.name());
      }
    }
    WorkerTestScript.runIfPresent(prepared, repository, keyTag, worker, log);
    stages.entered(ImageState.VERIFIED);
    stages.entered(ImageState.PUBLISHING);
    var already = registry.keyed(name, keyTag);
    if (already.isPresent()) {  // another run published this key meanwhile: its image stands
      return new Done(already.get().digest().toString(), List.of(repository + ":" + keyTag + "@"
          + already.get().digest()), false);
    }
    List<String> references = new ArrayList<>();
    String digest;
    try {
      digest = pushKeyTag(images, name, repository, keyTag);
    } catch (PublishedElsewhere other) {
      return new Done(other.digest, List.of(repository + ":" + keyTag + "@" + other.digest), false);
    }
    references.add(repository + ":" + keyTag + "@" + digest);
    for (String tag : Tags.expand(prepared.spec(), prepared.key(), prepared.version())) {
      if (!tag.equals(keyTag)) {
        images.tag(repository + ":" + keyTag, repository, tag);
        references.add(repository + ":" + tag + "@" + images.push(repository, tag, registry.auth()));
      }
    }
    return new Done(digest, references, true);
  }

  private BaseImage readBase(String parentName, Descriptor parent) {
    try {
      return registry.base(parentName, parent);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static final int PUSH_ATTEMPTS = 3;

  /**
   * The engine pushes the key tag; a push the registry refuses (a 5xx while another run pushes the
   * same layers) is tried again, unless the key tag has appeared meanwhile: then that image stands.
   */
  private String pushKeyTag(EngineImages images, String name, String repository, String keyTag) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return images.push(repository, keyTag, registry.auth());
      } catch (dev.berth.engine.docker.EngineUnavailableException e) {
        throw e;
      } catch (IOException e) {
        var there = registry.keyed(name, keyTag);
        if (there.isPresent()) {
          throw new PublishedElsewhere(there.get().digest().toString());
        }
        if (attempt == PUSH_ATTEMPTS) {
          throw e;
        }
        log.on(new BuildEvent.Warning(name, "push failed (" + e.getMessage() + "); trying again"));
        try {
          Thread.sleep(500L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The key tag appeared while this run's push failed: another run's image stands. */
  private static final class PublishedElsewhere extends IOException {
    final String digest;

    PublishedElsewhere(String digest) {
      super("published by another run as " + digest);
      this.digest = digest;
    }
  }

  /** The engine's names of the images {@code COPY --from} reads: tree images from the registry, others from the store. */
  private Map<String, String> sources(PreparedImage prepared, EngineImages images, DockerEngine engine)
      throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, ContentKey> source : prepared.sources().entrySet()) {
      var published = registry.keyed(source.getKey(), source.getValue().tag());
      if (published.isPresent()) {
        String repository = registry.repository(source.getKey());
        images.pull(repository, published.get().digest().toString(), registry.auth());
        out.put(source.getKey(), repository + "@" + published.get().digest());
      } else {
        String refName = source.getKey() + ":" + source.getValue().tag();
        Descriptor manifest = store.resolve(refName).orElseThrow(() -> new BuildException(prepared.spec().name()
            + ": COPY --from=" + source.getKey() + ": neither the registry nor the store has " + refName));
        out.put(source.getKey(), DockerContext.loadFromStore(store, engine, manifest.withoutAnnotations()));
      }
    }
    return out;
  }
}
