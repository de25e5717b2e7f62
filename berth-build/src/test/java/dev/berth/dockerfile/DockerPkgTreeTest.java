package dev.berth.dockerfile;

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
  void filtersBehaveAsDockerPkgs() throws IOException {
    Path config = Files.writeString(tree.resolve("config.yaml"), "registry: r.example\nnamespace: ns\n"
        + "apt_options: -q\napt_only_proxy: http://apt-proxy:8080\nknown_uid_mappings: {www-data: 33}\n"
        + "base_images: [r.example/bookworm:20240101, other.example/tools/debian:12]\n");
    DockerPkgConfig parsed = DockerPkgConfig.load(config);
    var warnings = new java.util.ArrayList<String>();
    DockerPkgFilters filters = new DockerPkgFilters(parsed, Map.of("app", "r.example/ns/app:1.0-2"), warnings::add);
    assertThat(filters.imageTag("app")).isEqualTo("r.example/ns/app:1.0-2");
    assertThat(filters.imageTag("debian")).isEqualTo("other.example/tools/debian:12");
    assertThat(filters.imageTag("bookworm")).isEqualTo("r.example/bookworm:20240101");
    assertThatThrownBy(() -> filters.imageTag("nope")).hasMessageContaining("no image 'nope'");
    assertThat(filters.aptInstall("curl jq")).isEqualTo("echo 'Acquire::http::Proxy \"http://apt-proxy:8080\";'"
        + " > /etc/apt/apt.conf.d/80_proxy \\\n    && apt-get update -q \\\n"
        + "    && DEBIAN_FRONTEND=noninteractive apt-get install -q --yes --no-install-recommends curl jq \\\n"
        + "    && rm -f /etc/apt/apt.conf.d/80_proxy \\\n    && apt-get clean && rm -rf /var/lib/apt/lists/*");
    assertThat(filters.aptRemove("curl")).contains("apt-get remove --yes --purge curl");
    assertThat(filters.uid("www-data")).isEqualTo("33");
    assertThat(filters.uid("mystery")).isEqualTo("mystery");
    assertThat(warnings).hasSize(1);
    assertThat(filters.addUser("www-data")).isEqualTo("groupadd -o -g 33 -r www-data && useradd -l -o -r -m"
        + " -d /var/lib/www-data -g www-data -u 33 www-data");
    assertThatThrownBy(() -> filters.addUser("mystery")).hasMessageContaining("no known_uid_mappings entry");
    assertThat(DockerPkgFilters.upstreamVersion("r.example/ns/app:1.63.0-1")).isEqualTo("1.63.0");
    assertThat(DockerPkgFilters.upstreamVersion("localhost:5000/app:1.63.0-1-20241211")).isEqualTo("1.63.0");
  }

  @Test
  void credentialsAreNeverTemplateVariables() throws IOException {
    Path config = Files.writeString(tree.resolve("config.yaml"),
        "username: bot\npassword: hunter2\nregistry_token: abc\ncolour: blue\n");
    assertThat(DockerPkgConfig.load(config).templateVariables()).containsOnlyKeys("apt_options", "colour");
    image("leak", "FROM scratch\nLABEL p={{ password }}\n", "");
    assertThatThrownBy(() -> DockerPkgTree.load(tree, null)).isInstanceOf(SpecException.class)
        .hasMessage(tree.resolve("leak/Dockerfile.template") + ":2: template error: undefined variable or filter in"
            + " 'password'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void controlDependsThatDisagreesIsReported() throws IOException {
    image("a", "FROM scratch\n", "");
    image("b", "FROM scratch\n", "");
    image("c", "FROM {{ 'a' | image_tag }}\n", "Package: c\nDepends: b, external-thing\n");
    DockerPkgTree.Tree loaded = DockerPkgTree.load(tree, null);
    assertThat(loaded.dependencies().get("c")).containsExactly("a");
    assertThat(loaded.warnings()).containsExactlyInAnyOrder(
        tree.resolve("c/control") + ": Depends lists 'b', which the Dockerfile does not build on",
        tree.resolve("c/control") + ": Depends does not list 'a', which the Dockerfile builds on");
  }

  @Test
  void badTemplatesNameFileAndLine() throws IOException {
    image("a", "FROM scratch\n\n\nRUN echo {{ 'ghost' | image_tag }}\n", "");
    assertError("a", 4, "template error: image_tag: no image 'ghost' in the tree or in base_images");

    image("a", "FROM scratch\nRUN echo {{ not_defined }}\n", "");
    assertError("a", 2, "template error: undefined variable or filter in 'not_defined'");

    image("a", "FROM scratch\n{% set x = 1 %}\nFOO bar\n", "");
    assertError("a", 3, "unknown instruction 'FOO'");

    image("a", "FROM scratch\nSHELL [\"x\", \"y]\n", "");
    assertError("a", 2, "SHELL takes a JSON array");

    image("a", "FROM scratch\nCOPY ../b/Dockerfile.template /x\n", "");
    image("b", "FROM scratch\n", "");
    assertError("a", 2, "source '../b/Dockerfile.template' is outside the build context");
  }

  @Test
  void templateCycleIsAnError() throws IOException {
    image("a", "FROM {{ 'c' | image_tag }}\n", "");
    image("b", "FROM {{ 'a' | image_tag }}\n", "");
    image("c", "FROM scratch AS x\nRUN true\nFROM {{ 'b' | image_tag }}\n", "");
    assertThatThrownBy(() -> DockerPkgTree.load(tree, null)).isInstanceOf(SpecException.class)
        .hasMessage(tree.resolve("b/Dockerfile.template") + ":1: dependency cycle between templates: a -> c -> b -> a");
  }

  @Test
  void buildTemplatesAreRefused() throws IOException {
    image("a", "FROM scratch\n", "");
    Files.writeString(tree.resolve("a/Dockerfile.build.template"), "FROM scratch\n");
    assertThatThrownBy(() -> DockerPkgTree.load(tree, null)).hasMessageStartingWith(
        tree.resolve("a/Dockerfile.build.template") + ": docker-pkg build images are not supported");
  }

  /** A template error stops the load; a refused Dockerfile makes only its image fail (the tree loads). */
  private void assertError(String image, int line, String message) {
    String error;
    try {
      error = DockerPkgTree.load(tree, null).refused().get(image);
    } catch (SpecException e) {
      error = e.getMessage();
    }
    assertThat(error).startsWith(tree.resolve(image).resolve("Dockerfile.template") + ":" + line + ": " + message);
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
