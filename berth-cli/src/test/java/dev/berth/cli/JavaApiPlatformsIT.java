package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.berth.api.ImageResult;
import dev.berth.api.ImageTarget;
import dev.berth.api.PlannedImage;
import dev.berth.api.RunResult;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageIndex;
import dev.berth.oci.Platform;
import dev.berth.plan.ImageState;
import dev.berth.plan.Plan;
import dev.berth.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API over a tree built for two platforms: {@code plan()} plans each platform's image and each
 * index (keys known before building), and the published results say, typed, which platform each child
 * is for; the registry, read by skopeo, and umoci agree with them.
 */
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("umoci")
class JavaApiPlatformsIT {
  private static final Platform AMD64 = Platform.parse("linux/amd64");
  private static final Platform ARM64 = Platform.parse("linux/arm64");
  @TempDir Path work;

  @Test
  void planAndPublishOfATwoPlatformTreeAreOneResultPerPlatformAndOneForTheIndex() throws Exception {
    Path store = work.resolve("store");
    PlatformFixtures.storeWithBusyboxIndex(work, store);
    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      Path tree = Files.createDirectories(work.resolve("tree"));
      Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/api\n"
          + "platforms: [linux/amd64, linux/arm64]\n");
      PlatformFixtures.image(tree, "base", "test/busybox:1", "");
      PlatformFixtures.image(tree, "app", "base", "tags: [\"{key}\", \"2.0\"]\n");
      ImageTarget both = new ImageTarget.Index(List.of(AMD64, ARM64));
      try (dev.berth.api.Berth berth = dev.berth.api.Berth.store(store)) {
        List<PlannedImage> plan = berth.tree(tree).plan();
        assertThat(plan).extracting(PlannedImage::name, PlannedImage::target, PlannedImage::action).containsExactly(
            tuple("base", new ImageTarget.Single(AMD64), Plan.Action.BUILD),
            tuple("base", new ImageTarget.Single(ARM64), Plan.Action.BUILD),
            tuple("base", both, Plan.Action.BUILD),
            tuple("app", new ImageTarget.Single(AMD64), Plan.Action.BUILD),
            tuple("app", new ImageTarget.Single(ARM64), Plan.Action.BUILD),
            tuple("app", both, Plan.Action.BUILD));
        assertThat(plan.get(3).key()).as("keys differ per platform").isNotEqualTo(plan.get(4).key());

        RunResult published = berth.registry(registry.host() + "/api").tree(tree).publish();
        assertThat(published.succeeded()).isTrue();
        ImageResult index = published.image("app");
        assertThat(index.isIndex()).isTrue();
        assertThat(index.target()).isEqualTo(both);
        assertThat(index.state()).isEqualTo(ImageState.PUBLISHED);
        assertThat(index.key()).as("the index key planned").isEqualTo(plan.get(5).key());
        ImageResult arm64 = published.image("app", ARM64);
        assertThat(arm64.isIndex()).isFalse();
        assertThat(arm64.key()).isEqualTo(plan.get(4).key());

        String reference = "docker://" + registry.host() + "/api/app:2.0";
        byte[] raw = Berth.tool(work, "skopeo", "inspect", "--raw", "--tls-verify=false", reference)
            .getBytes(StandardCharsets.UTF_8);
        assertThat(Digest.sha256(raw)).as("the registry serves the index the API returned").isEqualTo(index.digest());
        ImageIndex served = ImageIndex.parse(raw);
        int[] machines = {62, 183};
        for (int i = 0; i < 2; i++) {
          Platform platform = served.manifests().get(i).platform();
          assertThat(served.manifests().get(i).digest()).as("the child for %s", platform)
              .isEqualTo(published.image("app", platform).digest());
          Path layout = work.resolve("layout-" + i);
          Berth.tool(work, "skopeo", "copy", "--src-tls-verify=false", "docker://" + registry.host() + "/api/app@"
              + served.manifests().get(i).digest(), "oci:" + layout + ":child");
          Path bundle = work.resolve("bundle-" + i);
          Berth.tool(work, "umoci", "unpack", "--image", layout + ":child", bundle.toString());
          assertThat(PlatformFixtures.elfMachine(bundle.resolve("rootfs/bin/busybox"))).as("%s", platform)
              .isEqualTo(machines[i]);
        }

        assertThat(berth.tree(tree).plan()).extracting(PlannedImage::action).containsOnly(Plan.Action.CACHED);
      }
    }
  }
}
