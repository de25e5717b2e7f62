package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.registry.RegistryClient;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/java-api: the program builds base → apt jq → app copy through berth's Java API and
 * publishes it to a real registry; its keys are those {@code berth build} gives the equivalent
 * image.yaml tree, and on that build's store its digests too (an apt step run twice is not
 * byte-identical, so only the image without one is compared across stores).
 */
@Tag("integration")
@Tag("registry")
@Tag("runc")
class JavaApiExampleIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path EXAMPLE = REPO.resolve("examples/java-api");

  @TempDir Path work;

  @Test
  void theExampleProgramPublishesTheTreeWithTheKeysAndDigestsOfBerthBuild() throws Exception {
    String debian = Berth.tool(REPO, REPO.resolve("scripts/make-debian-base").toString()).strip();
    Path apiStore = work.resolve("api-store");
    Path cliStore = work.resolve("cli-store");
    new Berth(apiStore).run("import", debian, "--as", "examples/debian:bookworm").succeeded();
    Berth cli = new Berth(cliStore);
    cli.run("import", debian, "--as", "examples/debian:bookworm").succeeded();

    try (LocalRegistry registry = LocalRegistry.startPlain()) {
      // From a fresh store: the program builds all three and prints the keys berth build gives.
      Map<String, String[]> fresh = runExample(apiStore, registry.host() + "/fresh");
      assertThat(fresh).containsOnlyKeys("java-api/base", "java-api/tools", "java-api/app");

      Path tree = equivalentTree();
      JsonNode built = Json.tree(cli.run("build", tree.toString(), "--output", "json").succeeded().stdout()
          .getBytes(StandardCharsets.UTF_8));
      ContentStore store = ContentStore.open(cliStore);
      Map<String, String[]> expected = new LinkedHashMap<>();
      for (JsonNode image : built.get("images")) {
        String name = image.get("name").asText();
        String key = image.get("key").asText();
        expected.put(name, new String[] {key, store.resolve(name + ":" + key).orElseThrow().digest().toString()});
        assertThat(fresh.get(name)[0]).as("key of %s", name).isEqualTo(key);
      }
      // Without run steps the image is reproducible: the same digest from two separate stores.
      assertThat(fresh.get("java-api/base")).containsExactly(expected.get("java-api/base"));

      // On berth build's store the program finds every key there (nothing is built) and publishes those images.
      Map<String, String[]> onCliStore = runExample(cliStore, registry.host() + "/berth");
      try (RegistryClient client = RegistryClient.builder().host(registry.host()).build()) {
        for (var image : expected.entrySet()) {
          assertThat(onCliStore.get(image.getKey())).as(image.getKey()).containsExactly(image.getValue());
          assertThat(client.headManifest("berth/" + image.getKey(), image.getValue()[0]))
              .as("%s in the registry", image.getKey())
              .hasValueSatisfying(there -> assertThat(there.digest().toString()).isEqualTo(image.getValue()[1]));
          assertThat(client.headManifest("fresh/" + image.getKey(), fresh.get(image.getKey())[0])).isPresent();
        }
      }
    }
  }

  /** The image.yaml tree PublishTree.java describes, with the example's app folder. */
  private Path equivalentTree() throws Exception {
    Path tree = work.resolve("tree");
    write(tree.resolve("base/image.yaml"), """
        name: java-api/base
        base: examples/debian:bookworm
        env: {LANG: C.UTF-8}
        labels: {org.opencontainers.image.source: "https://example.org/berth/examples/java-api"}
        """);
    write(tree.resolve("tools/image.yaml"), """
        name: java-api/tools
        base: java-api/base
        apt: [jq]
        verify: ["jq --version"]
        """);
    write(tree.resolve("app/image.yaml"), """
        name: java-api/app
        base: java-api/tools
        copy:
          - {src: app/, dest: /srv/app, mode: "0755"}
        entrypoint: [/srv/app/hello.sh]
        verify: [/srv/app/hello.sh]
        """);
    Path app = Files.createDirectories(tree.resolve("app/app"));
    Files.copy(EXAMPLE.resolve("app/hello.sh"), app.resolve("hello.sh"));
    return tree;
  }

  private static void write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** Compiles and runs examples/java-api's program as its run script does; NAME → [KEY, DIGEST]. */
  private Map<String, String[]> runExample(Path store, String registry) throws Exception {
    Path classes = work.resolve("example-classes");
    String classpath = System.getProperty("java.class.path");
    if (!Files.isDirectory(classes)) {
      int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
          "-cp", classpath, EXAMPLE.resolve("src/main/java/example/PublishTree.java").toString());
      assertThat(compiled).as("javac of the example").isZero();
    }
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classes + File.pathSeparator + classpath, "example.PublishTree", registry, "examples/debian:bookworm",
        EXAMPLE.toString()).directory(work.toFile()).redirectError(work.resolve("example.err").toFile());
    builder.environment().put("BERTH_STORE", store.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("the example; stderr: %s", Files.readString(work.resolve("example.err")))
        .isZero();
    Map<String, String[]> printed = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>(out.strip().lines().toList());
    for (String line : lines) {
      String[] fields = line.split(" ");
      assertThat(fields).as("NAME KEY DIGEST: %s", line).hasSize(3);
      printed.put(fields[0], new String[] {fields[1], fields[2]});
    }
    return printed;
  }
}
