package dev.berth.engine;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.layer.Compression;
import dev.berth.layer.LayerStreams;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.ImageSpecParser;
import dev.berth.store.ContentStore;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ReproducibleBuildTest {
  @TempDir Path work;

  static final String SPEC = """
      name: web
      base: scratch
      env: {LANG: C.UTF-8}
      layers:
        - src: layers/common
      copy:
        - {src: app/, dest: /srv/app, owner: "1000:1000"}
        - {src: run.sh, dest: /usr/local/bin/, mode: "0755"}
      workdir: /srv/app
      entrypoint: [/usr/local/bin/run.sh]
      labels: {org.opencontainers.image.source: "https://example.org/repo"}
      """;

  private Path checkout(String name, long mtimeSeconds) throws Exception {
    Path folder = Files.createDirectories(work.resolve(name).resolve("web"));
    Files.writeString(folder.resolve("image.yaml"), SPEC);
    Files.createDirectories(folder.resolve("app/static"));
    Files.writeString(folder.resolve("app/main.py"), "print('hi')\n");
    Files.writeString(folder.resolve("app/static/site.css"), "body{}\n");
    Files.writeString(folder.resolve("app/debug.log"), "noise\n");
    Files.writeString(folder.resolve(".dockerignore"), "app/*.log\n");
    Files.createSymbolicLink(folder.resolve("app/current"), Path.of("main.py"));
    Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\nexec python3 main.py\n");
    Files.createDirectories(folder.resolve("layers/common/lib"));
    Files.writeString(folder.resolve("layers/common/lib/util.py"), "X = 1\n");
    try (var walk = Files.walk(folder)) {
      for (Path path : walk.toList()) {
        if (!Files.isSymbolicLink(path)) {
          Files.setLastModifiedTime(path, FileTime.fromMillis(mtimeSeconds * 1000));
        }
      }
    }
    return folder;
  }

  private KeyedBuild.Outcome build(Path folder, Path store) throws Exception {
    ImageSpec spec = new ImageSpecParser(Platform.LINUX_AMD64).parse(folder);
    ContentStore contentStore = ContentStore.open(store);
    KeyedBuild build = new KeyedBuild(contentStore, new BuildSettings(Compression.GZIP, 0),
        new BaseResolver(contentStore, work), InputCollector.FileDigests.UNCACHED,
        request -> {
          throw new AssertionError("no command steps here");
        }, line -> { });
    return build.build(build.prepare(spec), false);
  }

  @Test
  void twoCheckoutsWithDifferentMtimesGiveTheSameDigest() throws Exception {
    KeyedBuild.Outcome first = build(checkout("a", 1_600_000_000L), work.resolve("store-a"));
    KeyedBuild.Outcome second = build(checkout("b", 1_700_000_000L), work.resolve("store-b"));
    assertThat(second.manifest().digest()).isEqualTo(first.manifest().digest());
    assertThat(second.key()).isEqualTo(first.key());
    assertThat(first.built()).isTrue();

    KeyedBuild.Outcome again = build(checkout("c", 1_650_000_000L), work.resolve("store-a"));
    assertThat(again.built()).as("same key already in the store").isFalse();
  }

  @Test
  void layersHoldWhatTheSpecSaysWithFixedMetadata() throws Exception {
    KeyedBuild.Outcome outcome = build(checkout("a", 1_600_000_000L), work.resolve("store"));
    ContentStore store = ContentStore.open(work.resolve("store"));
    ImageManifest manifest = ImageManifest.parse(store.readBlob(outcome.manifest().digest()));
    assertThat(manifest.layers()).hasSize(3);
    ImageConfig config = ImageConfig.parse(store.readBlob(manifest.config().digest()));
    assertThat(config.config().env()).containsExactly("LANG=C.UTF-8");
    assertThat(config.config().workingDir()).isEqualTo("/srv/app");
    assertThat(config.rootfs().diffIds()).hasSize(3);
    assertThat(config.created()).isEqualTo("1970-01-01T00:00:00Z");

    List<TarArchiveEntry> layers = entries(store, manifest.layers().get(0));
    assertThat(layers).extracting(TarArchiveEntry::getName)
        .containsExactly("opt/", "opt/lib/", "opt/lib/util.py");

    List<TarArchiveEntry> app = entries(store, manifest.layers().get(1));
    assertThat(app).extracting(TarArchiveEntry::getName).containsExactly(
        "srv/", "srv/app/", "srv/app/current", "srv/app/main.py", "srv/app/static/", "srv/app/static/site.css");
    for (TarArchiveEntry entry : app) {  // /srv too: directories a copy makes get its owner, as in Docker
      assertThat(entry.getModTime().getTime()).isZero();
      assertThat(entry.getLongUserId()).isEqualTo(1000);
      assertThat(entry.getLongGroupId()).isEqualTo(1000);
    }
    assertThat(app.get(2).isSymbolicLink()).isTrue();
    assertThat(app.get(2).getLinkName()).isEqualTo("main.py");

    List<TarArchiveEntry> script = entries(store, manifest.layers().get(2));
    assertThat(script).extracting(TarArchiveEntry::getName).containsExactly("usr/", "usr/local/", "usr/local/bin/",
        "usr/local/bin/run.sh");
    assertThat(script.get(3).getMode() & 07777).isEqualTo(0755);
  }

  @Test
  void aChangedFileChangesTheKeyAndReusesUnchangedSteps() throws Exception {
    Path folder = checkout("a", 1_600_000_000L);
    KeyedBuild.Outcome first = build(folder, work.resolve("store"));
    Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\nexec python3 -u main.py\n");
    KeyedBuild.Outcome second = build(folder, work.resolve("store"));
    assertThat(second.key()).isNotEqualTo(first.key());
    ContentStore store = ContentStore.open(work.resolve("store"));
    ImageManifest one = ImageManifest.parse(store.readBlob(first.manifest().digest()));
    ImageManifest two = ImageManifest.parse(store.readBlob(second.manifest().digest()));
    assertThat(two.layers().subList(0, 2)).isEqualTo(one.layers().subList(0, 2));
    assertThat(two.layers().get(2)).isNotEqualTo(one.layers().get(2));
  }

  @Test
  void ownerNamesAreResolvedFromTheImagesPasswd() throws Exception {
    Path folder = Files.createDirectories(work.resolve("named"));
    Files.createDirectories(folder.resolve("etc"));
    Files.writeString(folder.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1234:4321::/home/app:/bin/sh\n");
    Files.writeString(folder.resolve("etc/group"), "root:x:0:\napp:x:4321:\nstaff:x:50:\n");
    Files.writeString(folder.resolve("data.txt"), "d");
    Files.writeString(folder.resolve("image.yaml"), """
        base: scratch
        steps:
          - copy: {src: etc/, dest: /etc}
          - copy: {src: data.txt, dest: /data/a.txt, owner: app}
          - copy: {src: data.txt, dest: /data/b.txt, owner: "app:staff"}
        """);
    KeyedBuild.Outcome outcome = build(folder, work.resolve("store"));
    ContentStore store = ContentStore.open(work.resolve("store"));
    ImageManifest manifest = ImageManifest.parse(store.readBlob(outcome.manifest().digest()));
    TarArchiveEntry a = entries(store, manifest.layers().get(1)).get(1);
    assertThat(a.getName()).isEqualTo("data/a.txt");
    assertThat(a.getLongUserId()).isEqualTo(1234);
    assertThat(a.getLongGroupId()).isEqualTo(4321);
    TarArchiveEntry b = entries(store, manifest.layers().get(2)).get(1);
    assertThat(b.getLongGroupId()).isEqualTo(50);

    Files.writeString(folder.resolve("image.yaml"), """
        base: scratch
        steps:
          - copy: {src: etc/, dest: /etc}
          - copy: {src: data.txt, dest: /data/a.txt, owner: nobody}
        """);
    assertThatThrownBy(() -> build(folder, work.resolve("store")))
        .hasMessageContaining("no user 'nobody' in the image's /etc/passwd");
  }

  @Test
  void zipLayersAreMergedUnderOpt() throws Exception {
    Path folder = Files.createDirectories(work.resolve("zipped"));
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(folder.resolve("layer.zip")))) {
      zip.putNextEntry(new java.util.zip.ZipEntry("python/"));
      zip.closeEntry();
      zip.putNextEntry(new java.util.zip.ZipEntry("python/lib.py"));
      zip.write("Y = 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    Files.writeString(folder.resolve("image.yaml"), "base: scratch\nlayers:\n  - src: layer.zip\n");
    KeyedBuild.Outcome outcome = build(folder, work.resolve("store"));
    ContentStore store = ContentStore.open(work.resolve("store"));
    ImageManifest manifest = ImageManifest.parse(store.readBlob(outcome.manifest().digest()));
    assertThat(entries(store, manifest.layers().get(0))).extracting(TarArchiveEntry::getName)
        .containsExactly("opt/", "opt/python/", "opt/python/lib.py");
  }

  static List<TarArchiveEntry> entries(ContentStore store, Descriptor layer) throws Exception {
    List<TarArchiveEntry> out = new ArrayList<>();
    try (InputStream blob = store.openBlob(layer.digest());
         InputStream raw = LayerStreams.decompress(blob, layer.mediaType());
         TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        out.add(entry);
      }
    }
    return out;
  }

}
