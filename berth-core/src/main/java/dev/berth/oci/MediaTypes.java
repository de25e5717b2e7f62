package dev.berth.oci;

/** Media types of the OCI image spec and of Docker's v2 schema 2, which berth reads; it writes OCI. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  public static final String DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

  private MediaTypes() {}

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  public static boolean isGzipLayer(String mediaType) {
    return OCI_LAYER_GZIP.equals(mediaType) || DOCKER_LAYER_GZIP.equals(mediaType)
        || DOCKER_FOREIGN_LAYER_GZIP.equals(mediaType)
        || "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip".equals(mediaType);
  }

  public static boolean isZstdLayer(String mediaType) {
    return OCI_LAYER_ZSTD.equals(mediaType);
  }

  /** The Docker equivalent of an OCI media type, for writing docker-archive and v2.2 manifests. */
  public static String toDocker(String ociMediaType) {
    return switch (ociMediaType) {
      case OCI_MANIFEST -> DOCKER_MANIFEST;
      case OCI_INDEX -> DOCKER_MANIFEST_LIST;
      case OCI_CONFIG -> DOCKER_CONFIG;
      case OCI_LAYER_GZIP -> DOCKER_LAYER_GZIP;
      default -> ociMediaType;
    };
  }
}
