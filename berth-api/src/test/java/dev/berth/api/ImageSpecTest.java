package dev.berth.api;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.event.BuildEvent;
import dev.berth.plan.ImageState;
import dev.berth.plan.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class ImageSpecTest {
  @TempDir Path work;

  @Test
  void withCopiesLeaveTheOriginalAsItWas() {
    ImageSpec base = ImageSpec.builder("base").base("scratch").env("A", "1").build();
    ImageSpec more = base.withAptPackages("curl").withPipPackages("flask==3.0.3").withCommands("true")
        .withEnv("B", "2").withLabel("team", "x").withEntrypoint("/bin/sh").withCmd("-c", "true");
    assertThat(base.aptPackages()).isEmpty();
    assertThat(base.env()).containsOnlyKeys("A");
    assertThat(more.aptPackages()).containsExactly("curl");
    assertThat(more.pipPackages()).containsExactly("flask==3.0.3");
    assertThat(more.env()).containsEntry("A", "1").containsEntry("B", "2");
    assertThat(more.entrypoint()).containsExactly("/bin/sh");
    assertThat(more).isNotEqualTo(base).isEqualTo(base.toBuilder().aptPackages("curl").pipPackages("flask==3.0.3")
        .commands("true").env("B", "2").label("team", "x").entrypoint("/bin/sh").cmd("-c", "true").build());
  }

  @Test
  void theSpecIsTheImageYamlItStandsFor() {
    ImageSpec parent = ImageSpec.builder("parent").base("scratch").build();
    ImageSpec spec = ImageSpec.builder("web").base(parent).platform("linux/arm64").env("LANG", "C.UTF-8")
        .aptPackages("curl").pipPackages("flask").commands("useradd app").sourceRoot(work).copy("app/", "/srv/app")
        .entrypoint("python3", "-m", "app").label("a", "b").verify("true").tags("{key}", "v1").build();
    assertThat(spec.toYaml()).isEqualTo("""
        name: web
        base: parent
        platform: linux/arm64
        env:
          LANG: C.UTF-8
        apt:
        - curl
        pip:
        - flask
        run:
        - useradd app
        copy:
        - src: app/
          dest: /srv/app
        entrypoint:
        - python3
        - -m
        - app
        labels:
          a: b
        verify:
        - "true"
        tags:
        - "{key}"
        - v1
        """);
  }

  @Test
  void aPipIndexGoesOnPipsCommandLineWithTheNetworkItNeeds() {
    ImageSpec spec = ImageSpec.builder("py").base("scratch").pipPackages("flask")
        .pipIndexUrl("https://pypi.example.org/simple").pipExtraIndexUrls("https://extra.example.org/simple").build();
    assertThat(spec.toYaml()).contains("--index-url=https://pypi.example.org/simple")
        .contains("--extra-index-url=https://extra.example.org/simple").contains("network: host")
        .doesNotContain("pip:");
  }

  @Test
  void whatBerthCannotDoIsRefusedWithTheReasonNeverIgnored() {
    ImageSpec.Builder builder = ImageSpec.builder("py").base("debian:bookworm");
    assertThatThrownBy(() -> builder.pythonVersion("3.11")).isInstanceOf(UnsupportedSpecException.class)
        .hasMessage("py: python_version is not supported by berth; install the interpreter from the base's packages"
            + " instead, e.g. aptPackages(\"python3.11\") on Debian bookworm, or start from a base that has it");
    assertThatThrownBy(() -> builder.condaPackages("numpy")).isInstanceOf(UnsupportedSpecException.class)
        .hasMessageContaining("conda_packages");
    assertThatThrownBy(() -> builder.condaChannels("conda-forge")).hasMessageContaining("conda_channels");
    assertThatThrownBy(() -> builder.cuda("12.1")).hasMessageContaining("cuda is not supported");
    assertThatThrownBy(() -> builder.cudnn("8")).hasMessageContaining("cudnn is not supported");
    assertThat(ImageSpec.builder("x").base("scratch").platforms("linux/amd64", "linux/arm64").build().platform())
        .isEqualTo("linux/amd64,linux/arm64");
    assertThatThrownBy(() -> builder.platforms("linux/amd64", "linux/amd46")).hasMessageContaining("unknown architecture 'amd46'");
    assertThatThrownBy(() -> ImageSpec.builder("x").build()).hasMessageContaining("x: no base");
    assertThatThrownBy(() -> ImageSpec.builder("x").base("scratch").requirements("requirements.txt")
        .sourceRoot(work).pipIndexUrl("https://pypi.example.org/simple").build())
        .hasMessageContaining("write --index-url / --extra-index-url lines in the file");
    assertThatThrownBy(() -> ImageSpec.builder("x").base("scratch").copy(".", "/app").build())
        .hasMessageContaining("set sourceRoot");
  }

  @Test
  void aSpecHasTheKeyOfItsImageYamlAndBuildsToTheSameDigest() throws Exception {
    Path tree = Files.createDirectories(work.resolve("tree"));
    Files.createDirectories(tree.resolve("base/files"));
    Files.writeString(tree.resolve("base/files/motd"), "hello\n");
    Files.writeString(tree.resolve("base/image.yaml"), """
        base: scratch
        env: {A: "1"}
        copy:
          - {src: files/, dest: /etc/files}
        """);
    Files.createDirectories(tree.resolve("pkg"));
    Files.writeString(tree.resolve("pkg/image.yaml"), """
        base: base
        labels: {team: infra}
        entrypoint: [/bin/sh]
        """);
    Files.createDirectories(tree.resolve("app/app"));
    Files.writeString(tree.resolve("app/app/main.sh"), "echo app\n");
    Files.writeString(tree.resolve("app/.dockerignore"), "app/*.tmp\n");
    Files.writeString(tree.resolve("app/app/junk.tmp"), "ignored\n");
    Files.writeString(tree.resolve("app/image.yaml"), """
        base: pkg
        copy:
          - {src: app/, dest: /srv/app, mode: "0755"}
        cmd: [/srv/app/main.sh]
        tags: ["{key}", "v1"]
        """);

    ImageSpec base = ImageSpec.builder("base").base("scratch").env("A", "1").sourceRoot(tree.resolve("base"))
        .copy("files/", "/etc/files").build();
    ImageSpec pkg = ImageSpec.builder("pkg").base(base).label("team", "infra").entrypoint("/bin/sh").build();
    ImageSpec app = ImageSpec.builder("app").base(pkg).sourceRoot(tree.resolve("app"))
        .copy(new ImageSpec.Copy("app/", "/srv/app", null, "0755")).cmd("/srv/app/main.sh").tags("{key}", "v1").build();

    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    try (Berth folders = Berth.store(work.resolve("store-a"));
         Berth specs = Berth.store(work.resolve("store-b")).listener(events::add)) {
      Map<String, String> treeKeys = folders.tree(tree).plan().stream()
          .collect(Collectors.toMap(PlannedImage::name, PlannedImage::key));
      assertThat(specs.key(base)).isEqualTo(treeKeys.get("base"));
      assertThat(specs.key(pkg)).isEqualTo(treeKeys.get("pkg"));
      assertThat(specs.key(app)).isEqualTo(treeKeys.get("app"));
      assertThat(specs.imageName(app)).isEqualTo("app:" + treeKeys.get("app"));
      assertThat(specs.registry("registry.example.org/team").imageName(app)).isEqualTo("registry.example.org/team/app:" + treeKeys.get("app"));
      assertThat(specs.plan(app)).extracting(PlannedImage::action).containsOnly(Plan.Action.BUILD);
      assertThat(specs.exists(app)).isEqualTo(new Existence.Absent("app:" + treeKeys.get("app")));

      RunResult fromFolders = folders.tree(tree).build();
      RunResult fromSpecs = specs.build(app);
      assertThat(fromSpecs.succeeded()).isTrue();
      for (String name : List.of("base", "pkg", "app")) {
        assertThat(fromSpecs.image(name).digest()).as(name).isNotNull()
            .isEqualTo(fromFolders.image(name).digest());
        assertThat(fromSpecs.image(name).state()).isEqualTo(ImageState.VERIFIED);
      }
      assertThat(specs.exists(app)).isEqualTo(new Existence.Present("app:" + treeKeys.get("app"),
          fromSpecs.image("app").digest()));
      assertThat(events).filteredOn(event -> event instanceof BuildEvent.Built).extracting(BuildEvent::image)
          .containsExactlyInAnyOrder("base", "pkg", "app");
      assertThat(events).filteredOn(event -> event instanceof BuildEvent.StepFinished)
          .extracting(event -> ((BuildEvent.StepFinished) event).cache()).doesNotContain(BuildEvent.Cache.HIT);
      assertThat(specs.build(app).images()).extracting(ImageResult::state).containsOnly(ImageState.CACHED);
    }
  }

  @Test
  void specsForTwoPlatformsAreOneIndexPerImageOverAChildPerPlatform() throws Exception {
    Files.createDirectories(work.resolve("src"));
    Files.writeString(work.resolve("src/f.txt"), "f\n");
    ImageSpec base = ImageSpec.builder("base").base("scratch").platforms("linux/amd64", "linux/arm64")
        .sourceRoot(work.resolve("src")).copy("f.txt", "/f.txt").build();
    ImageSpec app = ImageSpec.builder("app").base(base).platforms("linux/amd64", "linux/arm64").env("A", "1")
        .tags("{key}", "v1").build();
    try (Berth berth = Berth.store(work.resolve("store"))) {
      dev.berth.oci.Platform amd64 = dev.berth.oci.Platform.parse("linux/amd64");
      dev.berth.oci.Platform arm64 = dev.berth.oci.Platform.parse("linux/arm64");
      List<PlannedImage> plan = berth.tree(app).plan();
      assertThat(plan).extracting(PlannedImage::name, PlannedImage::target, PlannedImage::action).containsExactly(
          org.assertj.core.groups.Tuple.tuple("base", new ImageTarget.Single(amd64), Plan.Action.BUILD),
          org.assertj.core.groups.Tuple.tuple("base", new ImageTarget.Single(arm64), Plan.Action.BUILD),
          org.assertj.core.groups.Tuple.tuple("base", new ImageTarget.Index(List.of(amd64, arm64)), Plan.Action.BUILD),
          org.assertj.core.groups.Tuple.tuple("app", new ImageTarget.Single(amd64), Plan.Action.BUILD),
          org.assertj.core.groups.Tuple.tuple("app", new ImageTarget.Single(arm64), Plan.Action.BUILD),
          org.assertj.core.groups.Tuple.tuple("app", new ImageTarget.Index(List.of(amd64, arm64)), Plan.Action.BUILD));
      RunResult first = berth.build(app);
      assertThat(first.succeeded()).isTrue();
      assertThat(first.image("app").state()).isEqualTo(ImageState.BUILT);
      assertThat(first.image("app").isIndex()).isTrue();
      assertThat(first.image("app").key()).as("the planned index key is the built one").isEqualTo(plan.get(5).key());
      assertThat(first.image("app", arm64).key()).isEqualTo(plan.get(4).key());
      assertThat(first.image("app", arm64).target()).isEqualTo(new ImageTarget.Single(arm64));
      assertThat(first.images()).filteredOn(image -> !image.isIndex()).extracting(ImageResult::digest)
          .doesNotContainNull();
      dev.berth.store.ContentStore store = dev.berth.store.ContentStore.open(work.resolve("store"));
      var index = store.resolve("app:v1").orElseThrow();
      assertThat(index.mediaType()).isEqualTo(dev.berth.oci.MediaTypes.OCI_INDEX);
      assertThat(index.digest()).isEqualTo(first.image("app").digest());
      assertThat(dev.berth.oci.ImageIndex.parse(store.readBlob(index.digest())).manifests())
          .extracting(child -> child.platform().toString()).containsExactly("linux/amd64", "linux/arm64");
      assertThat(berth.tree(app).plan()).extracting(PlannedImage::action).containsOnly(Plan.Action.CACHED);
      RunResult again = berth.build(app);
      assertThat(again.images()).extracting(ImageResult::state).containsOnly(ImageState.CACHED);
      assertThat(again.image("app").digest()).isEqualTo(first.image("app").digest());
    }
  }
}
