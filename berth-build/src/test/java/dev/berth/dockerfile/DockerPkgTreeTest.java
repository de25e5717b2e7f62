package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.graph.ImageGraph;
import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.SpecException;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class DockerPkgTreeTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "docker-pkg").toAbsolutePath().normalize();

  @TempDir Path tree;

  @Test
  void loadsTheExampleTreeWithItsDependencyGraph() {
    DockerPkgTree.Tree loaded = DockerPkgTree.load(EXAMPLE, null);
    assertThat(loaded.images()).extracting(ImageSpec::name)
        .containsExactlyInAnyOrder("base", "tools", "web--build", "web", "worker", "cron", "busybox-extra");
    assertThat(loaded.dependencies()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "base", Set.of(), "tools", Set.of("base"), "web", Set.of("base", "tools"), "worker", Set.of("tools"),
        "cron", Set.of("worker"), "busybox-extra", Set.of()));
    assertThat(loaded.warnings()).isEmpty();

    Map<String, ImageSpec> byName = ImageGraph.of(loaded.images()).images();
    ImageGraph graph = ImageGraph.of(loaded.images());
    assertThat(graph.order().indexOf("base")).isLessThan(graph.order().indexOf("tools"));
    assertThat(byName.get("base").base()).isEqualTo("examples/busybox:1");
    assertThat(byName.get("busybox-extra").base()).isEqualTo("examples/busybox:1");
    assertThat(byName.get("tools").base()).isEqualTo("base");
    assertThat(byName.get("web--build").base()).isEqualTo("tools");
    assertThat(byName.get("web").base()).isEqualTo("base");
    assertThat(byName.get("cron").base()).isEqualTo("worker");
    assertThat(byName.get("web").tags()).containsExactly("{key}", "{version}");
    assertThat(byName.get("web--build").tags()).containsExactly("{key}");
    assertThat(byName.get("web").file()).isEqualTo(EXAMPLE.resolve("images/web/Dockerfile.template"));
  }

  @Test
  void rendersTemplatesWithDockerPkgFilters() {
    Map<String, ImageSpec> images = ImageGraph.of(DockerPkgTree.load(EXAMPLE, null).images()).images();
    assertThat(DockerfileFrontendTest.instructions(images.get("base"))).contains(new StepSpec.Run(new Command.Shell(
        "mkdir -p $SERVICE_ROOT /var/lib/app && chown 1000:1000 /var/lib/app")));
    assertThat(images.get("base").config().labels())
        .containsEntry("org.opencontainers.image.source", "https://registry.example.org/examples");
    assertThat(DockerfileFrontendTest.instructions(images.get("tools"))).contains(
        new StepSpec.Copy("bin", "/usr/local/bin/", null, "0755"),
        new StepSpec.Env(Map.of("GREETING", "hello from docker-pkg")),
        new StepSpec.Run(new Command.Shell("for tool in greet hello-tools; do test -x /usr/local/bin/$tool; done")));
    assertThat(DockerfileFrontendTest.instructions(images.get("web"))).containsExactly(
        new StepSpec.CopyFrom("web--build", "/build", "/srv/www/", "1000:1000", null),
        new StepSpec.User("1000"),
        new StepSpec.Workdir("/srv/www"));
    assertThat(images.get("web").config().cmd()).containsExactly("-h", "/srv/www");
    assertThat(DockerfileFrontendTest.instructions(images.get("web--build"))).startsWith(new StepSpec.Workdir("/build"),
        new StepSpec.Copy("site", "/build/", null, null));
    ImageSpec worker = images.get("worker");
    assertThat(DockerfileFrontendTest.instructions(worker)).contains(
        new StepSpec.BuildArgs(Map.of("UPSTREAM_VERSION", "1.63.0")),
        new StepSpec.AddArchive("payload.tar.gz", "/opt/worker/"),
        new StepSpec.Env(Map.of("WORKER_NAME", "worker-demo")));
    assertThat(worker.config().labels()).containsEntry("example.registry", "registry.example.org/examples");
    assertThat(worker.config().volumes()).containsExactly("/var/lib/worker");
    ImageSpec cron = images.get("cron");
    assertThat(DockerfileFrontendTest.instructions(cron)).contains(new StepSpec.Shell(List.of("/bin/sh", "-ec")),
        new StepSpec.Env(Map.of("JOB_MESSAGE", "job done by cron")), new StepSpec.User("65534"));
    assertThat(cron.config().entrypoint()).containsExactly("/bin/sh", "-ec", "/usr/local/bin/cron-job");
    assertThat(DockerfileFrontendTest.instructions(images.get("busybox-extra"))).contains(
        new StepSpec.Workdir("/usr/local/share/extra"), new StepSpec.Copy("README", "/usr/local/share/extra/", null, null));
  }

  @Test
  void controlFileDependenciesAreEdgesAsInDockerPkg() throws IOException {
    image("a", "FROM scratch\n", "");
    image("b", "FROM scratch\n", "");
    image("c", "FROM {{ 'a' | image_tag }}\n", "Package: c\nDepends: b, external-thing, a (>= 1)\n");
    DockerPkgTree.Tree loaded = DockerPkgTree.load(tree, null);
    assertThat(loaded.dependencies().get("c")).containsExactly("a", "b");
    ImageGraph graph = ImageGraph.of(loaded.images(), loaded.dependencies(), loaded.failures());
    assertThat(graph.dependencies("c")).containsExactly("a", "b");
    assertThat(graph.withDependents("b")).containsExactly("b", "c");
    // "a (>= 1)" is kept whole by docker-pkg, so it names no image: a is an edge only through FROM
    assertThat(loaded.warnings()).containsExactly(tree.resolve("c/control")
        + ": Depends does not list 'a', which the Dockerfile builds on (docker-pkg's update would not reach this image)");
  }

  @Test
  void aRefusedImageFailsAloneAndItsDependentsAreKnown() throws IOException {
    image("a", "FROM scratch\n", "");
    image("bad", "ADD x /x\nFROM {{ 'a' | image_tag }}\n", "");
    image("child", "FROM {{ 'bad' | image_tag }}\nRUN true\n", "");
    image("ghost", "FROM scratch\n\n\nRUN echo {{ 'nope' | image_tag }}\n", "");
    image("undefined", "FROM scratch\nRUN echo {{ not_defined }}\n", "");
    image("unknown-filter", "FROM scratch\n\nRUN echo {{ 'x' | frobnicate }}\n", "");
    image("syntax", "FROM scratch\n{% if registry %}\nRUN true\n", "");
    DockerPkgTree.Tree loaded = DockerPkgTree.load(tree, null);
    assertThat(loaded.failures()).containsOnlyKeys("bad", "ghost", "undefined", "unknown-filter", "syntax");
    assertThat(loaded.failures().get("bad")).startsWith(template("bad") + ":1: ");
    assertThat(loaded.failures().get("ghost")).isEqualTo(template("ghost") + ":4: image_tag: no image"
        + " nope in the tree or in base_images (or it has no tag)");
    assertThat(loaded.failures().get("undefined")).isEqualTo(template("undefined") + ":2: 'not_defined' is undefined");
    assertThat(loaded.failures().get("unknown-filter")).isEqualTo(template("unknown-filter")
        + ":3: no filter named 'frobnicate'");
    assertThat(loaded.failures().get("syntax")).startsWith(template("syntax") + ":2: ");
    assertThat(loaded.failures().values()).allMatch(message -> !message.contains("\n"));
    assertThat(loaded.dependencies().get("child")).containsExactly("bad");
    ImageGraph graph = ImageGraph.of(loaded.images(), loaded.dependencies(), loaded.failures());
    assertThat(graph.failure("bad")).isPresent();
    assertThat(graph.failure("child")).isEmpty();
    assertThat(graph.parent("child")).contains("bad");
  }

  @Test
  void templateCycleIsAnError() throws IOException {
    image("a", "FROM {{ 'c' | image_tag }}\n", "");
    image("b", "FROM {{ 'a' | image_tag }}\n", "");
    image("c", "FROM scratch AS x\nRUN true\nFROM {{ 'b' | image_tag }}\n", "");
    assertThatThrownBy(() -> DockerPkgTree.load(tree, null)).isInstanceOf(SpecException.class)
        .hasMessage(template("b") + ":1: dependency cycle: a -> c -> b -> a");
  }

  @Test
  void controlCycleNamesTheControlLine() throws IOException {
    image("a", "FROM scratch\n", "Package: a\nDepends: b\n");
    image("b", "FROM scratch\n", "Package: b\nDescription: x\nDepends: a\n");
    assertThatThrownBy(() -> DockerPkgTree.load(tree, null)).isInstanceOf(SpecException.class)
        .hasMessage(tree.resolve("b/control") + ":3: dependency cycle: a -> b -> a");
  }

  @Test
  void twoImagesOfOneNameStopTheTree() throws IOException {
    image("a", "FROM scratch\n", "");
    Path other = Files.createDirectories(tree.resolve("sub/a2"));
    Files.writeString(other.resolve("Dockerfile.template"), "FROM scratch\n");
    Files.copy(tree.resolve("a/changelog"), other.resolve("changelog"));
    assertThatThrownBy(() -> DockerPkgTree.load(tree, null)).isInstanceOf(SpecException.class)
        .hasMessageStartingWith(other.resolve("changelog") + ":1: two images are named 'a'");
  }

  @Test
  void forceNumericUserRefusesANamedLastUser() throws IOException {
    Files.writeString(tree.resolve("config.yaml"), "force_numeric_user: true\n");
    image("named", "FROM scratch\nUSER {{ 'nobody' | uid }}\nUSER daemon\n", "");
    image("numeric", "FROM scratch\nUSER daemon\nUSER {{ 'nobody' | uid }}\n", "");
    DockerPkgTree.Tree loaded = DockerPkgTree.load(tree, null);
    assertThat(loaded.failures()).containsOnlyKeys("named");
    assertThat(loaded.failures().get("named")).startsWith(template("named") + ":3: 'USER daemon' is not a numeric user");
  }

  @Test
  void anImagesOwnConfigYamlIsOneOfItsFiles() throws IOException {
    Files.writeString(tree.resolve("config.yaml"), "registry: r.example\n");
    image("app", "FROM scratch\nCOPY config.yaml /etc/app.yaml\n", "");
    Files.writeString(tree.resolve("app/config.yaml"), "not: docker-pkg\n");
    DockerPkgTree.Tree loaded = DockerPkgTree.load(tree, tree.resolve("config.yaml"));
    assertThat(loaded.images()).extracting(ImageSpec::name).containsExactly("app");
    assertThat(dev.berth.graph.TreeScanner.scan(tree, (dev.berth.oci.Platform) null).graph().order())
        .containsExactly("app");
  }

  @Test
  void buildTemplatesAreIgnoredAsDockerPkgIgnoresThem() throws IOException {
    image("a", "FROM scratch\n", "");
    Files.writeString(tree.resolve("a/Dockerfile.build.template"), "FROM scratch\n");
    assertThat(DockerPkgTree.load(tree, null).warnings()).anyMatch(w -> w.contains("Dockerfile.build.template: ignored"));
  }

  @Test
  void symlinksOfAnImageFolderAreWhatTheyPointToAsDockerPkgCopiesThem() throws Exception {
    Path shared = Files.createDirectories(tree.resolve("shared/monitoring"));
    Files.writeString(shared.resolve("check.sh"), "#!/bin/sh\n");
    Files.writeString(tree.resolve("shared/run.sh"), "echo run\n");
    image("app", "FROM scratch\nCOPY run.sh /run.sh\nCOPY monitoring /monitoring\n", "");
    Files.createSymbolicLink(tree.resolve("app/run.sh"), Path.of("../shared/run.sh"));
    Files.createSymbolicLink(tree.resolve("app/monitoring"), Path.of("../shared/monitoring"));
    ImageSpec app = DockerPkgTree.load(tree, null).images().get(0);
    var collector = new dev.berth.engine.InputCollector(app, dev.berth.engine.InputCollector.FileDigests.UNCACHED);
    assertThat(collector.collect("run.sh", "copy.src")).singleElement()
        .satisfies(file -> assertThat(file.kind()).isEqualTo(dev.berth.engine.InputFile.Kind.FILE));
    assertThat(collector.collect("monitoring", "copy.src")).extracting(dev.berth.engine.InputFile::path)
        .containsExactly("monitoring", "monitoring/check.sh");
  }

  private Path template(String image) {
    return tree.resolve(image).resolve("Dockerfile.template");
  }

  private void image(String name, String template, String control) throws IOException {
    Path folder = Files.createDirectories(tree.resolve(name));
    Files.writeString(folder.resolve("Dockerfile.template"), template);
    Files.writeString(folder.resolve("changelog"), name + " (1.0-1) unstable; urgency=medium\n\n  * Test.\n\n"
        + " -- T <t@example.org>  Mon, 01 Jan 2024 00:00:00 +0000\n");
    if (!control.isEmpty()) {
      Files.writeString(folder.resolve("control"), control);
    }
  }
}
