package dev.berth.engine;

import dev.berth.layer.Compression;
import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerStreams;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.InvalidContentException;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.BlobSink;
import dev.berth.store.ContentStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@code berth import ROOTFS.tar --as NAME:TAG}: a root file system tarball as a one-layer image.
 * The tarball is checked entry by entry first (nothing may point outside the root), then stored as
 * it is, compressed, so the same tarball always gives the same image.
 */
public final class RootfsImport {
  private RootfsImport() {}

  public static Descriptor importTarball(ContentStore store, Path tarball, String refName, Platform platform,
      BuildSettings settings) throws IOException {
    validate(tarball);
    LayerBlob compressed;
    try (InputStream in = Files.newInputStream(tarball)) {
      compressed = compress(store, in, settings.compression());
    }
    Descriptor layer = compressed.descriptor();
    ImageConfig config = ImageConfig.empty(platform, settings.created())
        .withLayer(compressed.diffId(), "berth import " + tarball.getFileName());
    Descriptor configDescriptor = store.writeBlob(MediaTypes.OCI_CONFIG, config.toJson());
    Descriptor manifest = store.writeBlob(MediaTypes.OCI_MANIFEST,
        ImageManifest.oci(configDescriptor, java.util.List.of(layer)).toJson());
    store.tag(refName, manifest);
    return manifest;
  }

  /** Refuses tarballs with entries or link targets that would land outside the root. */
  static void validate(Path tarball) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
         TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      int count = 0;
      java.util.Set<String> symlinks = new java.util.HashSet<>();
      while ((entry = tar.getNextEntry()) != null) {
        count++;
        String name = entry.getName();
        if (escapes(name)) {
          throw new InvalidContentException(tarball + ": entry '" + name + "' points outside the root");
        }
        if (entry.isLink() && escapes(entry.getLinkName())) {
          throw new InvalidContentException(tarball + ": hard link '" + name + "' points outside the root ("
              + entry.getLinkName() + ")");
        }
        String cleaned = clean(name);
        for (int slash = cleaned.indexOf('/'); slash > 0; slash = cleaned.indexOf('/', slash + 1)) {
          if (symlinks.contains(cleaned.substring(0, slash))) {
            throw new InvalidContentException(tarball + ": entry '" + name + "' would be written through the symlink '"
                + cleaned.substring(0, slash) + "'");
          }
        }
        if (entry.isSymbolicLink()) {
          symlinks.add(cleaned);
        } else {
          symlinks.remove(cleaned);
        }
      }
      if (count == 0) {
        throw new InvalidContentException(tarball + ": not a tar archive, or an empty one");
      }
    } catch (IOException e) {
      if (e instanceof java.nio.file.NoSuchFileException) {
        throw e;
      }
      throw new InvalidContentException(tarball + ": not a readable tar archive");
    }
  }

  /** {@code ./usr/bin/} as {@code usr/bin}: entry names as the unpacker resolves them. */
  private static String clean(String name) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    for (String part : name.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  private static boolean escapes(String name) {
    int depth = 0;
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        depth--;
        if (depth < 0) {
          return true;
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
    }
    return false;
  }

  /** Compresses a tar stream into a blob of the store, with its diff ID from the same pass. */
  static LayerBlob compress(ContentStore store, InputStream tar, Compression compression) throws IOException {
    MessageDigest diffId = Digest.newSha256();
    try (BlobSink sink = store.newBlob()) {
      try (OutputStream compressed = LayerStreams.compress(nonClosing(sink), compression);
           OutputStream hashed = new DigestOutputStream(compressed, diffId)) {
        tar.transferTo(hashed);
      }
      long size = sink.size();
      return new LayerBlob(new Descriptor(compression.mediaType(), sink.commit(null), size),
          Digest.fromHash("sha256", diffId.digest()));
    }
  }

  private static OutputStream nonClosing(OutputStream out) {
    return new java.io.FilterOutputStream(out) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
