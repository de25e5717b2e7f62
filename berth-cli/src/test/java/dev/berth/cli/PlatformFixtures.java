package dev.berth.cli;

import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.MediaTypes;
import dev.berth.oci.Platform;
import dev.berth.store.ContentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Fixtures of the multi-platform integration tests: a store with a two-platform busybox, small image folders. */
final class PlatformFixtures {
  private PlatformFixtures() {}

  /**
   * busybox for amd64 and arm64 (from Debian's busybox-static packages, rootfs made in {@code work})
   * imported into {@code store}, and {@code test/busybox:1} an index over both.
   */
  static Berth storeWithBusyboxIndex(Path work, Path store) throws Exception {
    Berth berth = new Berth(store);
    String script = Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString();
    berth.run("import", Berth.tool(work, script).strip(), "--as", "test/busybox:amd64", "--no-snapshot").succeeded();
    berth.run("import", Berth.tool(work, script, "--arch", "arm64").strip(), "--as", "test/busybox:arm64",
        "--platform", "linux/arm64", "--no-snapshot").succeeded();
    ContentStore opened = ContentStore.open(store);
    List<Descriptor> children = new ArrayList<>();
    children.add(opened.resolve("test/busybox:amd64").orElseThrow().withoutAnnotations()
        .withPlatform(Platform.parse("linux/amd64")));
    children.add(opened.resolve("test/busybox:arm64").orElseThrow().withoutAnnotations()
        .withPlatform(Platform.parse("linux/arm64")));
    opened.tag("test/busybox:1", opened.writeBlob(MediaTypes.OCI_INDEX, ImageIndex.oci(children).toJson()));
    return berth;
  }

  /** An image folder {@code tree/name} on {@code base} copying a file {@code /name.txt}, plus {@code extra} YAML. */
  static void image(Path tree, String name, String base, String extra) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("f.txt"), name + "\n");
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: f.txt, dest: /" + name
        + ".txt}\nenv: {IMAGE: " + name + "}\n" + extra);
  }

  /** The ELF machine of {@code file}: 62 is x86-64, 183 is AArch64. */
  static int elfMachine(Path file) throws Exception {
    byte[] head = new byte[20];
    try (var in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, 20) != 20) {
        throw new AssertionError(file + " is shorter than an ELF header");
      }
    }
    return (head[18] & 0xff) | (head[19] & 0xff) << 8;
  }
}
