package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bases from a registry: --pull=always follows a moved tag, never does not, missing survives an outage. */
@Tag("integration")
@Tag("registry")
@Tag("runc")
class FreshnessIT {
  @TempDir Path work;

  @Test
  void aMovedBaseRebuildsDependentsOnlyWhenAskedAndAnOutageOnlyWarns() throws Exception {
    Berth berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, Path.of("..", "examples", "make-busybox-rootfs").toAbsolutePath().toString()).strip();
    berth.run("import", rootfs, "--as", "seed/base:1").succeeded();
    berth.run("import", rootfs, "--as", "seed/base:2", "--compression", "zstd").succeeded();
    Path tree = Files.createDirectories(work.resolve("tree"));
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      String base = registry.host() + "/lib/base:1";
      berth.run("push", "seed/base:1", base).succeeded();
      image(tree, "app", base);
      image(tree, "app-child", "app");
      Berth.Result first = berth.run("build", tree.toString()).succeeded();
      assertThat(first.stdout()).containsPattern("verified +app:").containsPattern("verified +app-child:");

      berth.run("push", "seed/base:2", base).succeeded();
      Berth.Result never = berth.run("build", tree.toString(), "--pull=never").succeeded();
      assertThat(never.stdout()).containsPattern("cached +app:").containsPattern("cached +app-child:");
      Berth.Result missing = berth.run("plan", tree.toString()).succeeded();
      assertThat(missing.stdout()).contains("0 to build");
      assertThat(missing.stderr()).contains("moved in its registry; using the stored copy");

      Berth.Result always = berth.run("build", tree.toString(), "--pull=always").succeeded();
      assertThat(always.stdout()).containsPattern("verified +app:").containsPattern("verified +app-child:");
      assertThat(always.stderr()).contains("app: building (base digest moved)")
          .contains("app-child: building (parent app changed)");
      registry.close();

      Berth.Result offline = berth.run("build", tree.toString(), "--pull=missing").succeeded();
      assertThat(offline.stdout()).containsPattern("cached +app:");
      assertThat(offline.stderr()).contains("cannot check base " + base);
      Berth.Result strict = berth.run("build", tree.toString(), "--pull=always");
      assertThat(strict.exitCode()).isEqualTo(1);
      // An image that cannot be planned stops the build before anything is written: one line on stderr.
      assertThat(strict.stderr()).contains("cannot check base image '" + base + "'");
      assertThat(strict.stderr().strip().lines()).hasSize(1);
    }
  }

  private static void image(Path tree, String name, String base) throws Exception {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("f.txt"), name);
    Files.writeString(folder.resolve("image.yaml"), "base: " + base + "\ncopy:\n  - {src: f.txt, dest: /" + name + "}\n");
  }
}
