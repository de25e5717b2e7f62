package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A no-op run loads only what it needs: the JVM's class-load log of the real jar shows that a
 * rebuild of the example trees with nothing changed starts neither the template engine (docker-pkg
 * templates come from the render cache) nor, for a tree without image.yaml, the YAML binding of
 * image.yaml.
 */
@Tag("integration")
@Tag("runc")
class ClassLoadingIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  @TempDir static Path work;
  static Path store;

  @BeforeAll
  static void buildTheExamples() throws Exception {
    store = work.resolve("store");
    Berth berth = new Berth(store);
    String rootfs = Berth.tool(EXAMPLES, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "examples/busybox:1").succeeded();
    for (String example : List.of("hello", "docker-pkg")) {  // copies: a build writes .berth/ in its tree
      Berth.tool(work, "cp", "-r", EXAMPLES.resolve(example).toString(), work.resolve(example).toString());
      Berth.tool(work, "rm", "-rf", work.resolve(example).resolve(".berth").toString());
      berth.run("build", work.resolve(example).toString()).succeeded();
    }
  }

  @Test
  void aNoOpBuildOfTheDockerPkgExampleLoadsNoTemplateEngine() throws Exception {
    List<String> loaded = noOpBuild(work.resolve("docker-pkg"), "docker-pkg.classes");
    assertThat(loaded).filteredOn(name -> name.contains("jinjava")).isEmpty();
    assertThat(loaded).doesNotContain("dev.berth.dockerfile.DockerPkgTemplates", "dev.berth.spec.ImageSpecParser");
    // the check has teeth: the run did read the tree and its docker-pkg config
    assertThat(loaded).contains("dev.berth.dockerfile.DockerPkgTree", "dev.berth.dockerfile.RenderCache");
  }

  @Test
  void aNoOpBuildOfTheHelloExampleLoadsNoTemplateEngine() throws Exception {
    List<String> loaded = noOpBuild(work.resolve("hello"), "hello.classes");
    assertThat(loaded).filteredOn(name -> name.contains("jinjava")).isEmpty();
    assertThat(loaded).doesNotContain("dev.berth.dockerfile.DockerPkgTemplates");
    assertThat(loaded).contains("dev.berth.spec.ImageSpecParser");
  }

  /**
   * The no-op fast path: the second no-op of the docker-pkg example is replayed from the recording
   * the first made. It prints what the full run printed and journals each image as planned and
   * cached, but loads none of what a build needs: no picocli, Jackson, YAML, template engine,
   * compression, HTTP client, nor any of berth's model. Touching one input makes the next run a
   * full one again.
   */
  @Test
  void aReplayedNoOpPrintsWhatTheFullRunPrintedAndLoadsNoneOfBerthsModel() throws Exception {
    Path tree = work.resolve("docker-pkg");
    Thread.sleep(1100);  // inputs written within a second of a run's start are not trusted by their times
    Run full = noOpBuild(tree, "full.classes", "on");
    assertThat(full.classes()).contains("dev.berth.dockerfile.DockerPkgTree", "picocli.CommandLine");
    int journaled = dev.berth.plan.Journal.open(tree, java.time.Clock.systemUTC()).history().size();

    Run replayed = noOpBuild(tree, "replayed.classes", "on");
    assertThat(replayed.out()).isEqualTo(full.out());
    assertThat(replayed.classes()).filteredOn(name -> name.startsWith("picocli.") || name.startsWith("com.fasterxml.")
        || name.startsWith("org.yaml.") || name.contains("jinjava") || name.startsWith("org.apache.commons.compress")
        || name.startsWith("com.github.luben") || name.startsWith("java.net.http") || name.startsWith("javax.net.ssl")
        || name.startsWith("dev.berth.") && !name.startsWith("dev.berth.cli.replay.")
            && !name.equals("dev.berth.cli.Launcher")).isEmpty();
    List<dev.berth.plan.Journal.Transition> history =
        dev.berth.plan.Journal.open(tree, java.time.Clock.systemUTC()).history();
    long images = full.out().lines().count();
    assertThat(history).hasSize((int) (journaled + 2 * images));
    assertThat(history.subList(journaled, history.size())).extracting(transition -> transition.state().label())
        .containsOnly("planned", "cached");
    assertThat(dev.berth.plan.Journal.open(tree, java.time.Clock.systemUTC()).entries().values())
        .allMatch(entry -> entry.state() == dev.berth.plan.ImageState.CACHED);

    // an input touched (same content): the run is a full one, and so is one with the fast path off
    Files.setLastModifiedTime(tree.resolve("images/web/site/index.html"), java.nio.file.attribute.FileTime.from(
        java.time.Instant.now()));
    assertThat(noOpBuild(tree, "touched.classes", "on").classes()).contains("dev.berth.dockerfile.DockerPkgTree");
    Run off = noOpBuild(tree, "off.classes", "off");
    assertThat(off.out()).isEqualTo(full.out());
    assertThat(off.classes()).contains("dev.berth.dockerfile.DockerPkgTree");
  }

  /**
   * Class-data sharing archives no class file older than Java 6 (nor any class built on one): the
   * jar's picocli and Jinjava expression-language classes are version 50, and an archive dumped from
   * a run holds many of them, so a later run loads those from it instead of parsing them again.
   */
  @Test
  void picocliAndTheTemplateExpressionLanguageComeFromTheClassDataArchive() throws Exception {
    List<String> old = new ArrayList<>();
    try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(Berth.JAR.toFile())) {
      for (java.util.zip.ZipEntry entry : java.util.Collections.list(jar.entries())) {
        if (entry.getName().endsWith(".class")) {
          try (var in = jar.getInputStream(entry)) {
            if (ArchivableClassFiles.majorVersion(in.readNBytes(8)) < ArchivableClassFiles.JAVA_6) {
              old.add(entry.getName());
            }
          }
        }
      }
    }
    assertThat(old).as("class files CDS cannot archive").isEmpty();

    Path archive = work.resolve("render.jsa");
    Path log = work.resolve("render.classes");
    String tree = work.resolve("docker-pkg").toString();
    java(List.of("-XX:ArchiveClassesAtExit=" + archive), "render", tree);
    java(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + log), "render", tree);
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    // before the class files were marked version 50, none of these came from an archive; those whose
    // methods branch still do not (without stack maps the JVM verifies them with the old verifier,
    // and such classes are not archived), the others do
    assertThat(lines).filteredOn(line -> line.contains("] picocli.") && line.contains(" source: shared objects file"))
        .as("picocli classes from the archive").hasSizeGreaterThan(50);
    assertThat(lines).filteredOn(line -> line.contains("] jinjava.") && line.contains(" source: shared objects file"))
        .as("Jinjava's expression-language classes from the archive").hasSizeGreaterThan(20);
  }

  /** Runs the real jar with {@code options}; it must succeed. */
  private static void java(List<String> options, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(options);
    command.addAll(List.of("-jar", Berth.JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
  }

  /** The classes a build of {@code tree} loads in full (the fast path off), after checking that it rebuilt nothing. */
  private static List<String> noOpBuild(Path tree, String logName) throws Exception {
    return noOpBuild(tree, logName, "off").classes();
  }

  /** A run's output and the classes it loaded. */
  record Run(String out, List<String> classes) {}

  /** A build of {@code tree} with {@code BERTH_REPLAY} set to {@code replay}, which must rebuild nothing. */
  private static Run noOpBuild(Path tree, String logName, String replay) throws Exception {
    Path log = work.resolve(logName);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info:file=" + log, "-jar", Berth.JAR.toString(), "build", tree.toString(),
        "--store", store.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("BERTH_REPLAY", replay);
    builder.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    assertThat(out.lines()).isNotEmpty().allMatch(line -> line.startsWith("cached "), "every image cached");
    return new Run(out, classesIn(log));
  }

  private static List<String> classesIn(Path log) throws java.io.IOException {
    List<String> classes = ClassLoadLog.classesIn(log);
    assertThat(classes).as("the class-load log").hasSizeGreaterThan(300);
    return classes;
  }
}
