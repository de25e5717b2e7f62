package dev.berth.layer;

import dev.berth.oci.MediaTypes;
import java.util.Locale;

/** How a layer's tar stream is compressed, and the OCI media type that says so. */
public enum Compression {
  GZIP(MediaTypes.OCI_LAYER_GZIP),
  ZSTD(MediaTypes.OCI_LAYER_ZSTD),
  NONE(MediaTypes.OCI_LAYER_TAR);

  private final String mediaType;

  Compression(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  public static Compression parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown compression '" + name + "': gzip, zstd or none");
    }
  }

  /** The compression of a layer blob with {@code mediaType}. */
  public static Compression ofMediaType(String mediaType) {
    if (MediaTypes.isGzipLayer(mediaType)) {
      return GZIP;
    }
    if (MediaTypes.isZstdLayer(mediaType)) {
      return ZSTD;
    }
    if (MediaTypes.OCI_LAYER_TAR.equals(mediaType)
        || "application/vnd.docker.image.rootfs.diff.tar".equals(mediaType)) {
      return NONE;
    }
    throw new IllegalArgumentException("not a layer media type: " + mediaType);
  }
}
