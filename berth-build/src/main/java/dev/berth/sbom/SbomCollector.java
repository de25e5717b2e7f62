package dev.berth.sbom;

import dev.berth.engine.BaseImage;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.engine.InputFile;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes an {@link ImageSbom} from what the build holds: the image's own layers (each read once for the
 * dpkg status and {@code .dist-info} it writes), the base's dpkg status (read only when a layer of the
 * image changes it), the base's SBOM from the store, and the step inputs with their digests.
 */
public final class SbomCollector {
  /** The history of berth's copy steps, whose layers hold exactly their input files. */
  private static final java.util.regex.Pattern NATIVE_FILE_LAYER = java.util.regex.Pattern.compile(
      "berth copy ");

  private final ContentStore store;

  public SbomCollector(ContentStore store) {
    this.store = store;
  }

  public ImageSbom collect(PreparedImage prepared, BaseImage base, Descriptor manifestDescriptor)
      throws IOException {
    ImageManifest manifest = ImageManifest.parse(store.readBlob(manifestDescriptor.digest()));
    ImageConfig config = ImageConfig.parse(store.readBlob(manifest.config().digest()));
    int baseLayers = base.isScratch() ? 0 : base.manifest().layers().size();
    List<String> createdBy = layerHistory(config);
    String baseName = base.isScratch() ? BaseImage.SCRATCH : prepared.spec().base();

    List<ImageSbom.AddedLayer> layers = new ArrayList<>();
    DpkgStatus previous = null;
    boolean copiesPackageFiles = prepared.inputs().keySet().stream().anyMatch(SbomCollector::mayBePackageData);
    for (int i = baseLayers; i < manifest.layers().size(); i++) {
      String history = i < createdBy.size() ? createdBy.get(i) : null;
      if (!copiesPackageFiles && history != null && NATIVE_FILE_LAYER.matcher(history).lookingAt()) {
        continue;  // a native file layer holds the step's inputs (listed below), none of them package data
      }
      LayerContents contents = LayerContents.read(store, manifest.layers().get(i));
      List<DpkgPackage> dpkg = List.of();
      if (contents.dpkgStatus().isPresent()) {
        if (previous == null) {
          previous = baseStatus(base, baseName);
        }
        DpkgStatus after = DpkgStatus.parse(contents.dpkgStatus().get(),
            prepared.spec().name() + " layer " + (i + 1));
        dpkg = List.copyOf(previous.addedOrChangedIn(after).values());
        previous = after;
      } else if (contents.dpkgStatusDeleted()) {
        previous = DpkgStatus.empty();
      }
      if (!dpkg.isEmpty() || !contents.distributions().isEmpty()) {
        layers.add(new ImageSbom.AddedLayer(i, history, dpkg, contents.distributions()));
      }
    }
    List<ImageSbom.CopiedFile> files = new ArrayList<>();
    for (int step = 0; step < prepared.stepInputs().size(); step++) {
      for (InputFile input : prepared.stepInputs().get(step)) {
        if (input.kind() == InputFile.Kind.FILE && input.digest() != null) {
          files.add(new ImageSbom.CopiedFile(input.path(), input.digest(), step + 1));
        }
      }
    }
    ImageSbom.Base baseRecord = new ImageSbom.Base(baseName,
        base.isScratch() ? null : base.manifestDescriptor().digest(), baseSbom(base, baseName));
    return new ImageSbom(prepared.spec().name(), prepared.key().digest().toString(), manifestDescriptor.digest(),
        config.created(), baseRecord, layers, files);
  }

  /** The created_by of each non-empty history entry, so entry i describes layer i. */
  private static List<String> layerHistory(ImageConfig config) {
    List<String> out = new ArrayList<>();
    for (ImageConfig.History entry : config.history()) {
      if (!Boolean.TRUE.equals(entry.emptyLayer())) {
        out.add(entry.createdBy());
      }
    }
    return out;
  }

  /** The dpkg status of the base: that of its last layer writing one; empty when none does. */
  private DpkgStatus baseStatus(BaseImage base, String baseName) throws IOException {
    if (base.isScratch()) {
      return DpkgStatus.empty();
    }
    List<Descriptor> layers = base.manifest().layers();
    List<dev.berth.layer.LayerBlob> blobs = base.layers();
    for (int i = layers.size() - 1; i >= 0; i--) {
      Optional<LayerContents> unpacked = i < blobs.size() ? fromSnapshot(blobs.get(i).diffId()) : Optional.empty();
      LayerContents contents = unpacked.isPresent() ? unpacked.get() : LayerContents.read(store, layers.get(i));
      if (contents.dpkgStatus().isPresent()) {
        return DpkgStatus.parse(contents.dpkgStatus().get(), "base " + baseName + " layer " + (i + 1));
      }
      if (contents.dpkgStatusDeleted()) {
        break;
      }
    }
    return DpkgStatus.empty();
  }

  /** Whether an input file may be dpkg's status or a distribution's METADATA (then its layer is read too). */
  private static boolean mayBePackageData(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return name.equals("status") || name.equals("METADATA");
  }

  /**
   * The dpkg status of a layer the native builder has unpacked already (for a RUN step): read from
   * that directory instead of decompressing the layer again. Empty when it is not unpacked.
   */
  private Optional<LayerContents> fromSnapshot(dev.berth.oci.Digest diffId) throws IOException {
    java.nio.file.Path root = new dev.berth.runtime.SnapshotStore(store).root()
        .resolve(dev.berth.runtime.SnapshotStore.relativePath(diffId));
    if (!java.nio.file.Files.isDirectory(root)) {
      return Optional.empty();
    }
    java.nio.file.Path status = root.resolve(DpkgStatus.PATH);
    if (java.nio.file.Files.isRegularFile(status, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(new LayerContents(Optional.of(java.nio.file.Files.readString(status)), false, List.of()));
    }
    boolean whiteout = java.nio.file.Files.exists(status, java.nio.file.LinkOption.NOFOLLOW_LINKS);  // a 0/0 device
    return Optional.of(new LayerContents(Optional.empty(), whiteout, List.of()));
  }

  /** The packages of the base's own SBOM, when the store holds one; their origin says they came with the base. */
  private List<SbomPackage> baseSbom(BaseImage base, String baseName) throws IOException {
    if (base.isScratch()) {
      return List.of();
    }
    Optional<Attestations.Document> document = new Attestations(store).sbom(base.manifestDescriptor().digest());
    if (document.isEmpty()) {
      return List.of();
    }
    List<SbomPackage> out = new ArrayList<>();
    for (SbomPackage pkg : SbomFormat.packages(document.get().bytes(), document.get().mediaType(), "SBOM of base " + baseName)) {
      String origin = pkg.origin() == null || pkg.origin().startsWith("base ")
          ? "base " + baseName + (pkg.origin() == null ? "" : ", " + pkg.origin())
          : "base " + baseName + " " + pkg.origin();
      out.add(new SbomPackage(pkg.name(), pkg.version(), pkg.purl(), origin));
    }
    return out;
  }
}
