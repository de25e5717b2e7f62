package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.berth.engine.BaseResolver;
import dev.berth.engine.PullPolicy;
import dev.berth.graph.ImageGraph;
import dev.berth.layer.IgnoreRules;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.registry.Credentials;
import dev.berth.registry.RegistryClient;
import dev.berth.spec.ImageSpecParser;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every exception type berth defines (found by scanning its classes) and the JDK types its
 * code lets through, makes each happen through berth's own code, and checks the line the CLI prints
 * for it: a location, and no Java class names or library wording. A new exception type without a
 * way to make it here fails the test.
 */
@Tag("registry")
class ErrorTypesTest {
  @TempDir Path work;

  /** One way to make an error: the code that throws it, and the location its line must name. */
  record Trigger(Class<? extends Throwable> type, String location, Cause cause) {}

  interface Cause {
    void happen() throws Exception;
  }

  /**
   * Types whose only throw sites need a container runtime or a Docker engine: made with the
   * message their throw site builds (ImageChecks.run, DockerEngine.build), so the wording is still checked.
   */
  private static final Map<String, Throwable> NEEDS_A_RUNTIME = Map.of(
      "dev.berth.runtime.ImageChecks$CheckFailed",
      new dev.berth.runtime.ImageChecks.CheckFailed("check 'test -f /app' exited with status 1"),
      "dev.berth.engine.docker.DockerBuildException",
      new dev.berth.engine.docker.DockerBuildException(
          "docker engine at unix:///var/run/docker.sock refused the build: 400 dockerfile parse error line 2"),
      "dev.berth.engine.docker.EngineTooOldException",
      new dev.berth.engine.docker.EngineTooOldException(
          "tcp://127.0.0.1:2376: engine API 1.26 (Docker 1.13.1) is older than 1.40, the oldest berth speaks"));

  private List<Trigger> triggers() throws IOException {
    Path image = Files.createDirectories(work.resolve("img"));
    Files.writeString(image.resolve("image.yaml"), "base: scratch\nflavour: mint\n");
    Path layout = Files.createDirectories(work.resolve("layout"));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"manifests\": [nope");
    ContentStore store = ContentStore.open(work.resolve("store"));
    return List.of(
        new Trigger(dev.berth.spec.SpecException.class, image.resolve("image.yaml") + ":2",
            () -> new ImageSpecParser(Platform.LINUX_AMD64).parse(image)),
        new Trigger(dev.berth.text.TextFileException.class, work.resolve(".dockerignore") + ":2",
            () -> IgnoreRules.parse(work.resolve(".dockerignore"), List.of("ok", "app/f["))),
        new Trigger(dev.berth.graph.GraphException.class, "'x'", () -> {
          Path a = Files.createDirectories(work.resolve("a"));
          Path b = Files.createDirectories(work.resolve("b"));
          Files.writeString(a.resolve("image.yaml"), "name: x\nbase: scratch\n");
          Files.writeString(b.resolve("image.yaml"), "name: x\nbase: scratch\n");
          var parser = new ImageSpecParser(Platform.LINUX_AMD64);
          ImageGraph.of(List.of(parser.parse(a), parser.parse(b)));
        }),
        new Trigger(dev.berth.engine.BuildException.class, "nowhere/base:1",
            () -> new BaseResolver(store, work, PullPolicy.NEVER, null, warning -> { })
                .resolve("nowhere/base:1", Platform.LINUX_AMD64, "1970-01-01T00:00:00Z")),
        new Trigger(dev.berth.oci.InvalidContentException.class, layout.toString(),
            () -> new BaseResolver(store, work, PullPolicy.NEVER, null, warning -> { })
                .resolve("oci:" + layout, Platform.LINUX_AMD64, "1970-01-01T00:00:00Z")),
        new Trigger(ContentStore.BlobNotFoundException.class, "sha256:",
            () -> store.readBlob(Digest.sha256(new byte[] {1, 2, 3}))),
        new Trigger(ContentStore.StoreBusyException.class, store.root().toString(), () -> {
          try (ContentStore.Lease lease = store.lease()) {
            store.gc();
          }
        }),
        new Trigger(dev.berth.registry.RegistryException.class, "127.0.0.1:1", () -> {
          try (RegistryClient client = RegistryClient.builder().host("127.0.0.1:1").build()) {
            client.pull(ImageReference.parse("127.0.0.1:1/team/x:1"), Platform.LINUX_AMD64, store);
          }
        }),
        new Trigger(dev.berth.registry.AuthenticationFailedException.class, "127.0.0.1:", () -> {
          try (LocalRegistry registry = LocalRegistry.startBasicAuthTls("user", "secret");
               RegistryClient client = RegistryClient.builder().host(registry.host()).certDir(registry.caDirectory())
                   .credentials(Optional.of(new Credentials("user", "wrong"))).build()) {
            client.pull(ImageReference.parse(registry.host() + "/team/x:1"), Platform.LINUX_AMD64, store);
          }
        }),
        new Trigger(dev.berth.store.StoreFullException.class, store.root().toString(), () -> {
          throw dev.berth.store.StoreFullException.translate(
              new IOException("/x/.berth-tmp/blob-1: No space left on device"), store.root(), "a layer");
        }),
        new Trigger(UsageException.class, "tarball:x", () -> BuildCommand.parseOutput("tarball:x")),
        new Trigger(dev.berth.api.UnsupportedSpecException.class, "py: python_version",
            () -> dev.berth.api.ImageSpec.builder("py").base("scratch").pythonVersion("3.11")),
        new Trigger(dev.berth.engine.docker.EngineUnavailableException.class, "tcp://127.0.0.1:1",
            () -> dev.berth.engine.docker.DockerEngine.connect("tcp://127.0.0.1:1", null, false,
                java.time.Duration.ofSeconds(5)).versionInfo()),
        new Trigger(dev.berth.emulation.EmulationUnavailableException.class, work.resolve("no-binfmt").toString(),
            () -> new dev.berth.emulation.Emulation(work.resolve("no-binfmt"), Platform.LINUX_AMD64)
                .check(Platform.parse("linux/arm64"))),
        // JDK types that berth's code lets through to the CLI
        new Trigger(IllegalArgumentException.class, "Bad:Ref::x", () -> ImageReference.parse("Bad:Ref::x")),
        new Trigger(java.nio.file.NoSuchFileException.class, work.resolve("absent").toString(),
            () -> ContentStore.openExisting(work.resolve("absent")).readBlob(Digest.sha256(new byte[0]))),
        new Trigger(dev.berth.oci.InvalidContentException.class, "",
            () -> ImageManifest.parse("{\"layers\": 3}".getBytes())));
  }

  /** Types that never reach the CLI as they are: berth's code turns them into one of the types above. */
  private static final Map<String, String> WRAPPED = Map.of(
      "dev.berth.registry.BodyWatchdog$Stalled",
      "a mid-body stall; RegistryTransport retries it and reports a RegistryException naming the registry",
      "dev.berth.dockerfile.DockerPkgFilters$Failure",
      "a filter's refusal inside a template; DockerPkgTemplates reports it as the template's file:line",
      "dev.berth.fleet.WorkerJob$PublishedElsewhere",
      "a failed push whose key tag another run published meanwhile; WorkerJob keeps that image, nothing fails");

  @Test
  void everyErrorThatReachesTheCliSaysWhereWithoutJavaWording() throws Exception {
    Set<String> covered = new TreeSet<>(NEEDS_A_RUNTIME.keySet());
    covered.addAll(WRAPPED.keySet());
    List<String> problems = new ArrayList<>();
    for (Trigger trigger : triggers()) {
      Throwable thrown = null;
      try {
        trigger.cause().happen();
      } catch (Throwable e) {
        thrown = e;
      }
      if (thrown == null || !trigger.type().isInstance(thrown)) {
        problems.add(trigger.type().getName() + ": expected, got " + thrown);
        continue;
      }
      covered.add(thrown.getClass().getName());
      check(ErrorReporter.describe(thrown), trigger.location(), problems);
    }
    NEEDS_A_RUNTIME.values().forEach(e -> check(ErrorReporter.describe(e), "", problems));

    Set<String> defined = berthExceptionTypes();
    assertThat(defined).as("exception types found on the class path").hasSizeGreaterThanOrEqualTo(10);
    Set<String> missing = new TreeSet<>(defined);
    missing.removeAll(covered);
    if (!missing.isEmpty()) {
      problems.add("no trigger for " + missing + ": add one to ErrorTypesTest");
    }
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
  }

  @Test
  void aBugWithoutAMessageIsNamedWithoutJavaWording() {
    String line = ErrorReporter.describe(new NullPointerException());
    assertThat(line).isEqualTo("internal error (null pointer); run again with --debug for details");
  }

  private static void check(String line, String location, List<String> problems) {
    if (BadInputCatalogueIT.JAVA_WORDING.matcher(line).find()) {
      problems.add("Java or library wording: " + line);
    }
    if (!line.contains(location)) {
      problems.add("no location '" + location + "' in: " + line);
    }
    if (line.contains("\n") || line.isBlank()) {
      problems.add("not one line: " + line);
    }
  }

  /** Every Throwable subclass under dev.berth in the classes on the class path (berth's modules). */
  static Set<String> berthExceptionTypes() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path) && !path.toString().contains("test-classes")) {
        try (Stream<Path> walk = Files.walk(path)) {
          walk.map(p -> path.relativize(p).toString()).filter(ErrorTypesTest::isBerthClass).forEach(names::add);
        }
      } else if (path.getFileName().toString().startsWith("berth-") && path.toString().endsWith(".jar")
          && !path.toString().endsWith("-tests.jar")) {
        try (JarFile jar = new JarFile(path.toFile())) {
          jar.stream().map(e -> e.getName()).filter(ErrorTypesTest::isBerthClass).forEach(names::add);
        }
      }
    }
    Set<String> exceptions = new TreeSet<>();
    for (String file : names) {
      String name = file.substring(0, file.length() - ".class".length()).replace('/', '.');
      try {
        Class<?> type = Class.forName(name, false, ErrorTypesTest.class.getClassLoader());
        if (Throwable.class.isAssignableFrom(type)) {
          exceptions.add(name);
        }
      } catch (ClassNotFoundException | LinkageError e) {
        // a class of an optional dependency: not one berth throws to the CLI
      }
    }
    return exceptions;
  }

  private static boolean isBerthClass(String file) {
    return file.startsWith("dev/berth/") && file.endsWith(".class") && !file.matches(".*\\$[0-9].*")
        && !file.startsWith("dev/berth/testing/") && !file.startsWith("dev/berth/bench/");
  }
}
