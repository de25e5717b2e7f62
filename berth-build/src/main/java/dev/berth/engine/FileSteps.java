package dev.berth.engine;

import dev.berth.layer.LayerBlob;
import dev.berth.spec.StepSpec;
import dev.berth.spec.StepVisitor;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The steps that write a layer of files without running anything (copy, content, layers, copy
 * from an image, archive): how the native builder writes each, and what their keys depend on.
 */
final class FileSteps {
  private FileSteps() {}

  /** A visitor that answers false for every kind it does not name. */
  private interface Test extends StepVisitor.Partial<Boolean, RuntimeException> {
    @Override
    default Boolean otherwise(StepSpec step) {
      return false;
    }
  }

  /**
   * Whether the step's key leaves out the image's configuration (environment, user, working
   * directory, shell, build arguments): the file steps but ADD of an archive, which is keyed with it.
   */
  static boolean keyedWithoutConfig(StepSpec step) {
    return step.accept(new Test() {
      @Override
      public Boolean copy(StepSpec.Copy copy) {
        return true;
      }

      @Override
      public Boolean copyContent(StepSpec.CopyContent content) {
        return true;
      }

      @Override
      public Boolean layer(StepSpec.Layer layer) {
        return true;
      }

      @Override
      public Boolean copyFrom(StepSpec.CopyFrom copy) {
        return true;
      }
    });
  }

  /**
   * Whether the step's layer depends on nothing but its own inputs: a merged layer, or a copy to
   * an absolute path with no owner names (those depend on the image's /etc/passwd).
   */
  static boolean selfContained(StepSpec step) {
    return step.accept(new Test() {
      @Override
      public Boolean layer(StepSpec.Layer layer) {
        return true;
      }

      @Override
      public Boolean copy(StepSpec.Copy copy) {
        return copy.dest().startsWith("/") && (copy.owner() == null || copy.owner().matches("[0-9]+(:[0-9]+)?"));
      }
    });
  }

  /** The step when it copies files of the image folder ({@code copy:}, a Dockerfile's COPY). */
  static Optional<StepSpec.Copy> contextCopy(StepSpec step) {
    return step.accept(new StepVisitor.Partial<Optional<StepSpec.Copy>, RuntimeException>() {
      @Override
      public Optional<StepSpec.Copy> otherwise(StepSpec other) {
        return Optional.empty();
      }

      @Override
      public Optional<StepSpec.Copy> copy(StepSpec.Copy copy) {
        return Optional.of(copy);
      }
    });
  }

  /** The image whose files a {@code COPY --from} step copies. */
  static Optional<String> copiedImage(StepSpec step) {
    return step.accept(new StepVisitor.Partial<Optional<String>, RuntimeException>() {
      @Override
      public Optional<String> otherwise(StepSpec other) {
        return Optional.empty();
      }

      @Override
      public Optional<String> copyFrom(StepSpec.CopyFrom copy) {
        return Optional.of(copy.image());
      }
    });
  }

  /** The copy to its destination resolved against the working directory so far. */
  static StepSpec.Copy resolved(StepSpec.Copy copy, BuildState state) {
    return new StepSpec.Copy(copy.src(), state.absolute(copy.dest()), copy.owner(), copy.mode());
  }

  /**
   * Writes a file step's layer onto the image so far ({@code state}); empty for a step that runs a
   * command (a {@link StepRunner}'s work). {@link #sourceName} names an image a step copies from in the store.
   */
  abstract static class Writer implements StepVisitor.Partial<Optional<LayerBlob>, IOException> {
    private final ContentStore store;
    private final BuildSettings settings;
    private final Path folder;
    private final List<InputFile> inputs;
    private final BuildState state;

    Writer(ContentStore store, BuildSettings settings, Path folder, List<InputFile> inputs, BuildState state) {
      this.store = store;
      this.settings = settings;
      this.folder = folder;
      this.inputs = inputs;
      this.state = state;
    }

    /** How the store names {@code image}, an image a step reads, for the step's writer. */
    abstract String sourceName(String image) throws IOException;

    @Override
    public Optional<LayerBlob> otherwise(StepSpec step) {
      return Optional.empty();
    }

    @Override
    public Optional<LayerBlob> copy(StepSpec.Copy copy) throws IOException {
      return Optional.of(ContextCopy.write(store, settings, resolved(copy, state), inputs, state.layers));
    }

    @Override
    public Optional<LayerBlob> copyContent(StepSpec.CopyContent content) throws IOException {
      StepSpec.Copy copy = content.asCopy(inputs.get(0).path().isEmpty() ? "." : inputs.get(0).path());
      return Optional.of(ContextCopy.write(store, settings, resolved(copy, state), inputs, state.layers));
    }

    @Override
    public Optional<LayerBlob> layer(StepSpec.Layer merge) throws IOException {
      return Optional.of(MergedLayer.write(store, settings, folder, merge, inputs));
    }

    @Override
    public Optional<LayerBlob> copyFrom(StepSpec.CopyFrom copyFrom) throws IOException {
      StepSpec.CopyFrom resolved = copyFrom.withDest(state.absolute(copyFrom.dest()));
      return Optional.of(CopyFromImage.write(store, settings, resolved, sourceName(copyFrom.image()),
          resolved.owner() == null ? null : new Ownership(store, state.layers).resolve(resolved.owner()), state.layers));
    }

    @Override
    public Optional<LayerBlob> addArchive(StepSpec.AddArchive archive) throws IOException {
      return Optional.of(ArchiveLayer.write(store, settings, inputs.get(0).source(), state.absolute(archive.dest()),
          archive.owner(), state.layers));
    }
  }
}
