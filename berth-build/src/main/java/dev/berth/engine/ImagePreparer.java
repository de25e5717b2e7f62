package dev.berth.engine;

import dev.berth.spec.ImageSpec;
import dev.berth.spec.RunMount;
import dev.berth.spec.StepSpec;
import dev.berth.spec.StepVisitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Decides everything about an image before it is built: its base, its inputs and its content key. */
public final class ImagePreparer {
  private final BuildSettings settings;
  private final InputCollector.FileDigests digests;
  private final ContentInputs contents;

  /** {@code store} keeps what is not a file of the folder: here-documents and downloads. */
  public ImagePreparer(BuildSettings settings, InputCollector.FileDigests digests, dev.berth.store.ContentStore store) {
    this.settings = settings;
    this.digests = digests;
    this.contents = new ContentInputs(store);
  }

  public PreparedImage prepare(ImageSpec spec, PlannedBase base) throws IOException {
    return prepare(spec, base, java.util.Map.of());
  }

  /** {@code sources}: the keys of the tree images the spec copies from (COPY --from), by name. */
  public PreparedImage prepare(ImageSpec spec, PlannedBase base,
      java.util.Map<String, ContentKey> sources) throws IOException {
    InputCollector collector = new InputCollector(spec, digests);
    List<List<InputFile>> stepInputs = new ArrayList<>();
    for (int i = 0; i < spec.steps().size(); i++) {
      StepSpec step = spec.steps().get(i);
      java.util.Optional<StepSpec.ContextSource> source = step.contextSource();
      try {
        stepInputs.add(step.accept(new StepVisitor.Partial<List<InputFile>, IOException>() {
          @Override
          public List<InputFile> otherwise(StepSpec other) throws IOException {
            return source.isEmpty() ? List.of() : collector.collect(source.get().path(), source.get().field());
          }

          @Override
          public List<InputFile> copyContent(StepSpec.CopyContent content) throws IOException {
            return contents.inputs(content);
          }

          @Override
          public List<InputFile> run(StepSpec.Run run) throws IOException {
            return run.mounts().isEmpty() ? otherwise(run) : bound(collector, run);
          }

          @Override
          public List<InputFile> copy(StepSpec.Copy copy) throws IOException {
            return copy.excludes().isEmpty() ? otherwise(copy) : excluded(otherwise(copy), copy.excludes());
          }
        }));
      } catch (BuildException e) {  // a Dockerfile's step names its line
        java.util.Optional<String> origin = spec.stepOrigin(i);
        if (origin.isEmpty()) {
          throw e;
        }
        throw new BuildException(origin.get() + ": " + e.getMessage(), e);
      }
    }
    var unkeyed = new PreparedImage(spec, base, stepInputs, null);
    java.util.Map<String, Object> specDocument = StepJson.spec(spec);
    String version = version(spec);
    if (version != null) {  // a new changelog version is a new image: `update` means a rebuild
      specDocument = new java.util.TreeMap<>(specDocument);
      specDocument.put("version", version);
    }
    if (!sources.isEmpty()) {
      java.util.Map<String, String> copied = new java.util.TreeMap<>();
      sources.forEach((name, key) -> copied.put(name, key.toString()));
      specDocument = new java.util.TreeMap<>(specDocument);
      specDocument.put("copiesFrom", copied);
    }
    ContentKey key = ContentKey.compute(specDocument, List.copyOf(unkeyed.inputs().values()), base,
        settings);
    return new PreparedImage(spec, base, stepInputs, key, sources, version);
  }

  /**
   * {@code inputs} without what {@code --exclude} patterns match: under a directory source, paths
   * relative to it (a matched directory goes with all it holds); a file source by its name.
   */
  static List<InputFile> excluded(List<InputFile> inputs, List<String> patterns) {
    dev.berth.layer.IgnoreRules rules = dev.berth.layer.IgnoreRules.parse(patterns);
    InputFile top = inputs.get(0);
    if (top.kind() != InputFile.Kind.DIRECTORY) {
      return rules.isExcluded(top.path().substring(top.path().lastIndexOf('/') + 1)) ? List.of() : inputs;
    }
    List<InputFile> out = new ArrayList<>();
    for (InputFile input : inputs) {
      String relative = CopyPaths.relativeTo(top.path(), input.path());
      if (relative.isEmpty() || !rules.isExcluded(relative)) {
        out.add(input);
      }
    }
    return out;
  }

  /** The folder's files a RUN step's bind mounts show, each once, sorted by path. */
  private static List<InputFile> bound(InputCollector collector, StepSpec.Run run) throws IOException {
    java.util.Map<String, InputFile> out = new java.util.TreeMap<>();
    for (RunMount mount : run.mounts()) {
      for (String source : mount.accept(new BindSources())) {
        for (InputFile input : collector.collect(source, "RUN --mount=type=bind")) {
          out.putIfAbsent(input.path(), input);
        }
      }
    }
    return List.copyOf(out.values());
  }

  /** The image's {@code {version}}: its changelog's top version plus the run's suffix; null without a changelog. */
  private String version(ImageSpec spec) throws IOException {
    return dev.berth.spec.Changelog.read(spec.folder())
        .map(changelog -> changelog.version() + settings.versionSuffix()).orElse(null);
  }

  /** The folder's path a mount shows: a bind's source; none for the other kinds. */
  private static final class BindSources implements RunMount.Visitor<List<String>, RuntimeException> {
    @Override
    public List<String> bind(RunMount.Bind mount) {
      return List.of(mount.source());
    }

    @Override
    public List<String> imageBind(RunMount.ImageBind mount) {
      return List.of();
    }

    @Override
    public List<String> ssh(RunMount.Ssh mount) {
      return List.of();
    }

    @Override
    public List<String> tmpfs(RunMount.Tmpfs mount) {
      return List.of();
    }
  }
}
