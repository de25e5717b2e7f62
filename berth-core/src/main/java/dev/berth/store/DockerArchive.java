package dev.berth.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.Json;
import dev.berth.oci.MediaTypes;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The {@code docker save} / {@code docker load} tarball: {@code manifest.json} naming a config and
 * layer files. berth writes layers as they are in the store (docker load decompresses them) and
 * reads archives in one streaming pass.
 */
public final class DockerArchive {
  private DockerArchive() {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Entry(
      @JsonProperty("Config") String config,
      @JsonProperty("RepoTags") List<String> repoTags,
      @JsonProperty("Layers") List<String> layers) {}

  /** Writes the image {@code manifest} names (already in {@code store}) as a docker-archive file. */
  public static void write(ContentStore store, Descriptor manifest, List<String> repoTags, Path file)
      throws IOException {
    ImageManifest image = ImageManifest.parse(store.readBlob(manifest.digest()));
    Map<String, Digest> files = new TreeMap<>();
    files.put(blobName(image.config().digest()), image.config().digest());
    List<String> layerNames = new ArrayList<>();
    for (Descriptor layer : image.layers()) {
      layerNames.add(blobName(layer.digest()));
      files.put(blobName(layer.digest()), layer.digest());
    }
    byte[] manifestJson = Json.canonical(List.of(
        new Entry(blobName(image.config().digest()), List.copyOf(repoTags), layerNames)));

    Path directory = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "its directory does not exist");
    }
    Path temp = Files.createTempFile(directory, ".docker-archive", ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
           TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        directory(tar, "blobs/");
        directory(tar, "blobs/sha256/");
        for (var entry : files.entrySet()) {
          TarArchiveEntry header = fileEntry(entry.getKey(), store.blobSize(entry.getValue()));
          tar.putArchiveEntry(header);
          try (InputStream in = store.openBlob(entry.getValue())) {
            in.transferTo(tar);
          }
          tar.closeArchiveEntry();
        }
        tar.putArchiveEntry(fileEntry("manifest.json", manifestJson.length));
        tar.write(manifestJson);
        tar.closeArchiveEntry();
        tar.finish();
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Reads a docker-archive into {@code into} and returns the OCI manifest written for its image
   * (the first one, or the one whose RepoTags contain {@code repoTag} when that is given).
   */
  public static Descriptor read(Path file, String repoTag, ContentStore into) throws IOException {
    Map<String, Digest> blobs = new HashMap<>();
    byte[] manifestJson = null;
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
         TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String name = normalize(entry.getName());
        if (name.equals("manifest.json")) {
          manifestJson = tar.readAllBytes();
        } else if (name.endsWith(".json") || name.endsWith(".tar") || name.startsWith("blobs/")) {
          blobs.put(name, into.writeBlob(tar, null));
        }
      }
    }
    if (manifestJson == null) {
      throw new InvalidContentException(file + ": not a docker archive (no manifest.json)");
    }
    List<Entry> entries = Json.mapper().readValue(manifestJson, new TypeReference<List<Entry>>() {});
    Entry chosen = entries.stream()
        .filter(e -> repoTag == null || (e.repoTags() != null && e.repoTags().contains(repoTag)))
        .findFirst()
        .orElseThrow(() -> new InvalidContentException(file + ": no image "
            + (repoTag == null ? "" : "tagged " + repoTag + " ") + "in the archive"));
    Digest configDigest = required(blobs, chosen.config(), file);
    byte[] configJson = into.readBlob(configDigest);
    ImageConfig config = ImageConfig.parse(configJson);
    if (config.rootfs().diffIds().size() != chosen.layers().size()) {
      throw new InvalidContentException(file + ": the config lists " + config.rootfs().diffIds().size()
          + " layers, manifest.json " + chosen.layers().size());
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < chosen.layers().size(); i++) {
      Digest digest = required(blobs, chosen.layers().get(i), file);
      Digest diffId = config.rootfs().diffIds().get(i);
      String mediaType = layerMediaType(into, digest);
      if (!diffId.equals(uncompressedDigest(into, digest, mediaType))) {
        throw new InvalidContentException(file + ": layer " + chosen.layers().get(i)
            + " does not match diff_id " + diffId + " of its config");
      }
      layers.add(new Descriptor(mediaType, digest, into.blobSize(digest)));
    }
    Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, configDigest, configJson.length);
    return into.writeBlob(MediaTypes.OCI_MANIFEST, ImageManifest.oci(configDescriptor, layers).toJson());
  }

  private static Digest required(Map<String, Digest> blobs, String name, Path file) {
    Digest digest = blobs.get(normalize(name));
    if (digest == null) {
      throw new InvalidContentException(file + ": manifest.json names " + name + ", which the archive lacks");
    }
    return digest;
  }

  private static String layerMediaType(ContentStore store, Digest digest) throws IOException {
    try (InputStream in = store.openBlob(digest)) {
      byte[] magic = in.readNBytes(4);
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        return MediaTypes.OCI_LAYER_GZIP;
      }
      if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
          && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
        return MediaTypes.OCI_LAYER_ZSTD;
      }
      return MediaTypes.OCI_LAYER_TAR;
    }
  }

  private static Digest uncompressedDigest(ContentStore store, Digest digest, String mediaType) throws IOException {
    if (mediaType.equals(MediaTypes.OCI_LAYER_TAR)) {
      return digest;
    }
    var sha = Digest.newSha256();
    try (InputStream blob = store.openBlob(digest);
         InputStream in = mediaType.equals(MediaTypes.OCI_LAYER_GZIP)
             ? new GZIPInputStream(blob, 1 << 16)
             : new com.github.luben.zstd.ZstdInputStream(blob)) {
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
    }
    return Digest.fromHash("sha256", sha.digest());
  }

  private static String normalize(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  private static String blobName(Digest digest) {
    return "blobs/" + digest.algorithm() + "/" + digest.hex();
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(040755);
    entry.setModTime(0);
    tar.putArchiveEntry(entry);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry fileEntry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setMode(0100644);
    entry.setSize(size);
    entry.setModTime(0);
    return entry;
  }
}
