package dev.berth.sbom;

import dev.berth.oci.Digest;
import java.util.List;

/**
 * What went into one image, as its build knows it: the base (by digest, with the packages its own
 * SBOM lists), the packages each of the image's layers added or changed, and the files it copied.
 * Written out as SPDX or CycloneDX by {@link SbomFormat}.
 */
public record ImageSbom(String name, String key, Digest manifest, String created, Base base, List<AddedLayer> layers,
    List<CopiedFile> files) {

  public ImageSbom {
    layers = List.copyOf(layers);
    files = List.copyOf(files);
  }

  /** The base image: its reference, manifest digest (null for scratch) and the packages of its SBOM (empty: none). */
  public record Base(String reference, Digest manifest, List<SbomPackage> packages) {
    public Base {
      packages = List.copyOf(packages);
    }
  }

  /** One layer of this image (0-based in the manifest) with what it added or changed. */
  public record AddedLayer(int index, String createdBy, List<DpkgPackage> dpkg, List<PythonDistribution> python) {
    public AddedLayer {
      dpkg = List.copyOf(dpkg);
      python = List.copyOf(python);
    }

    /** "layer 3 (berth apt ["jq"])": where a package came from, for plans and {@code berth affected}. */
    public String describe() {
      return "layer " + (index + 1) + (createdBy == null || createdBy.isEmpty() ? "" : " (" + createdBy + ")");
    }
  }

  /** A file a step copied in: its path in the image folder or context, content digest, and the 1-based step. */
  public record CopiedFile(String path, Digest digest, int step) {}
}
