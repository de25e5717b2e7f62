package dev.berth.engine.docker;

import dev.berth.oci.Descriptor;
import dev.berth.store.ContentStore;
import dev.berth.store.DockerArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Images moved between a store and a Docker engine through its socket, as skopeo's
 * {@code docker-daemon:} transport moves them: {@code docker save} into the store, and
 * {@code docker load} of a store's image under a name. The tarball in between is a temporary file.
 */
public final class DaemonImages {
  private DaemonImages() {}

  /** Reads the engine's image {@code name} into {@code store}; returns its manifest there. */
  public static Descriptor read(DockerEngine engine, String name, ContentStore store) throws IOException {
    requireEngine(engine);
    Path archive = Files.createTempFile("berth-daemon-", ".tar");
    try {
      engine.save(name, archive);
      return DockerArchive.read(archive, null, store);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /** Loads {@code manifest} of {@code store} into the engine as {@code name}; returns what the engine loaded. */
  public static List<String> write(DockerEngine engine, ContentStore store, Descriptor manifest, String name)
      throws IOException {
    requireEngine(engine);
    Path archive = Files.createTempFile("berth-daemon-", ".tar");
    try {
      DockerArchive.write(store, manifest, List.of(name), archive);
      return engine.load(archive);
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static void requireEngine(DockerEngine engine) throws IOException {
    if (!engine.available()) {
      throw new IOException("docker-daemon: no Docker engine answers at " + engine.address());
    }
  }
}
