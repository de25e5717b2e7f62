package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The parity corpus (src/test/corpus: one folder per case, each Dockerfile naming the moby or
 * BuildKit test it was derived from): every case built by berth (all in one tree, one process) and
 * by Debian's dockerd (the legacy builder, or BuildKit for a Dockerfile marked {@code # oracle:
 * buildkit}), then the file trees and configs compared. A case is identical, refused by both, or
 * differing; the differing ones must be listed in KNOWN-DIFFERENCES (and nothing else may be), so a
 * new difference or a fixed one both fail the test. The counts go to target/corpus-report.txt.
 */
@Tag("integration")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DockerfileCorpusIT {
  static final Path CORPUS = Path.of("src/test/corpus").toAbsolutePath();
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  /** Docker's tags for the corpus: per process, so two runs sharing a dockerd never remove each other's. */
  static final String TAG_PREFIX = "1".equals(System.getenv("BERTH_CORPUS_KEEP_DOCKER")) ? "berth-corpus/"
      : "berth-corpus-" + ProcessHandle.current().pid() + "/";
  /** A tree-wide error that names an image (or one of its stages) rather than a file. */
  private static final Pattern IMAGE_ERROR = Pattern.compile("^berth: error: ([a-z0-9._-]+?)(?:--[a-z0-9._-]+)?: ");
  private static final Pattern LINE_ERROR = Pattern.compile("(Dockerfile|\\.dockerignore):\\d+");
  private static final Set<String> dockerTags = ConcurrentHashMap.newKeySet();
  /** For working on berth: leave dockerd's images in place and reuse them in the next run. */
  private static final boolean KEEP_DOCKER_IMAGES = "1".equals(System.getenv("BERTH_CORPUS_KEEP_DOCKER"));

  @TempDir static Path work;
  /** Serves src/test/corpus/_http on the loopback for the cases that ADD URLs ({@code @HTTP@} in a Dockerfile). */
  private static com.sun.net.httpserver.HttpServer files;
  private static String http;

  /** What one builder made of one case: an image, or a refusal with its message. */
  sealed interface Outcome {
    record Built() implements Outcome {}

    /** {@code readingTree}: berth refused the Dockerfile while reading the tree, before building anything. */
    record Refused(String message, boolean readingTree) implements Outcome {
      Refused(String message) {
        this(message, false);
      }
    }
  }

  /**
   * A loopback HTTP server of {@code _http}'s files, each with a fixed Last-Modified; what it lacks
   * is a 404. dockerd downloads in its own (the host's) network, so both builders reach it.
   */
  private static String serveFiles() throws IOException {
    files = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    files.createContext("/", exchange -> {
      Path file = CORPUS.resolve("_http").resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(CORPUS.resolve("_http")) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] body = Files.readAllBytes(file);
        exchange.getResponseHeaders().add("Last-Modified", "Tue, 15 Nov 1994 08:12:31 GMT");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    files.start();
    return "http://127.0.0.1:" + files.getAddress().getPort();
  }

  @AfterAll
  static void stopServing() {
    if (files != null) {
      files.stop(0);
    }
  }

  @AfterAll
  static void removeFromTheEngine() throws Exception {
    if (!dockerTags.isEmpty() && !KEEP_DOCKER_IMAGES) {
      docker(false, Stream.concat(Stream.of("image", "rm", "-f"), dockerTags.stream()).toArray(String[]::new));
    }
  }

  @Test
  void everyCaseIsBuiltAsDockerBuildsItOrRefusedByBoth() throws Exception {
    long began = System.nanoTime();
    Berth berth = new Berth(work.resolve("store"));
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    berth.run("import", busybox, "--as", "busybox:latest").succeeded();
    Path archive = work.resolve("busybox.tar");
    berth.run("copy", "busybox:latest", "docker-archive:" + archive).succeeded();
    docker(true, "load", "-i", archive.toString());

    List<String> cases;
    try (Stream<Path> folders = Files.list(CORPUS)) {
      cases = folders.filter(f -> Files.isRegularFile(f.resolve("Dockerfile")))
          .map(f -> f.getFileName().toString()).sorted().toList();
    }
    Path tree = work.resolve("tree");
    http = serveFiles();
    for (String name : cases) {
      prepare(name, tree.resolve(name));
    }
    Path dockerTree = work.resolve("docker-tree");  // the same bytes; berth's tree loses the cases it refuses
    Berth.tool(work, "cp", "-a", tree.toString(), dockerTree.toString());
    long start = System.nanoTime();
    var dockerRun = java.util.concurrent.CompletableFuture.supplyAsync(() -> {  // alongside berth's run
      try {
        return dockerBuilds(cases, dockerTree);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    Map<String, Outcome> ours = berthBuilds(berth, cases, tree);
    long berthMillis = (System.nanoTime() - start) / 1_000_000;
    Map<String, Outcome> docker = dockerRun.join();
    long dockerMillis = (System.nanoTime() - start) / 1_000_000;
    System.out.println("corpus built: docker " + dockerMillis + " ms, berth " + berthMillis + " ms");

    List<String> built = cases.stream().filter(c -> docker.get(c) instanceof Outcome.Built)
        .map(c -> TAG_PREFIX + c + ":1").toList();
    Map<String, CorpusImages.Image> theirImages = dockerImages(built);
    Map<String, CorpusImages.Image> ourImages = CorpusImages.fromStore(work.resolve("store"));
    System.out.println("corpus images read after " + (System.nanoTime() - began) / 1_000_000 + " ms");

    Map<String, String> verdicts = new TreeMap<>();
    for (String name : cases) {
      verdicts.put(name, verdict(docker.get(name), ours.get(name), theirImages.get(TAG_PREFIX + name + ":1"),
          ourImages.get(name)));
    }
    for (var entry : verdicts.entrySet()) {
      if (entry.getValue().equals("both refused")) {
        String problem = refusalProblem(entry.getKey(), (Outcome.Refused) ours.get(entry.getKey()));
        if (problem != null) {
          entry.setValue("differing: " + problem);
        }
      }
    }
    System.out.println("corpus compared after " + (System.nanoTime() - began) / 1_000_000 + " ms");
    report(verdicts, docker, ours, dockerMillis, berthMillis);

    Map<String, String> known = knownDifferences();
    Set<String> differing = new TreeSet<>();
    verdicts.forEach((name, verdict) -> {
      if (verdict.startsWith("differing")) {
        differing.add(name);
      }
    });
    assertThat(cases).as("corpus size").hasSizeGreaterThanOrEqualTo(60);
    assertThat(differing).as("differing cases (see target/corpus-report.txt)").isEqualTo(known.keySet());
  }

  /**
   * Copies a case into the tree and runs its setup.sh there (then removes it): links, modes, archives
   * git cannot hold. {@code @HTTP@} in its Dockerfile becomes the file server's address.
   */
  private static void prepare(String name, Path folder) throws Exception {
    Files.createDirectories(folder.getParent());
    Berth.tool(work, "cp", "-a", CORPUS.resolve(name).toString(), folder.toString());
    Path setup = folder.resolve("setup.sh");
    if (Files.exists(setup)) {
      Berth.tool(folder, "sh", "-e", setup.toString());
      Files.delete(setup);
    }
    Path dockerfile = folder.resolve("Dockerfile");
    Files.writeString(dockerfile, Files.readString(dockerfile).replace("@HTTP@", http));
  }

  private static Map<String, Outcome> dockerBuilds(List<String> cases, Path tree) throws Exception {
    Map<String, Outcome> out = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (String name : cases) {
        jobs.add(pool.submit(() -> {
          Path folder = tree.resolve(name);
          boolean buildkit = Files.readString(folder.resolve("Dockerfile")).contains("# oracle: buildkit");
          String tag = TAG_PREFIX + name + ":1";
          if (KEEP_DOCKER_IMAGES && dockerIn(false, "image", "inspect", tag).exitCode() == 0) {
            out.put(name, new Outcome.Built());
            return null;
          }
          String[] build = {"build", "-q", "--force-rm", "--network", "host", "-t", tag, folder.toString()};
          ProcessOutput result = dockerIn(buildkit, build);
          if (result.output().contains("unknown parent image ID")) {  // dockerd 20.10 racing two legacy builds
            result = dockerIn(buildkit, build);
          }
          if (result.exitCode() == 0) {
            dockerTags.add(tag);
            out.put(name, new Outcome.Built());
          } else {
            out.put(name, new Outcome.Refused(lastLine(result.output())));
          }
          return null;
        }));
      }
      for (Future<?> job : jobs) {
        job.get();
      }
    } finally {
      pool.shutdown();
    }
    return new TreeMap<>(out);
  }

  /**
   * All cases as one tree in one berth process. A Dockerfile berth refuses while reading the tree
   * stops the whole run: that case is recorded as refused, moved out, and the rest built again.
   */
  private static Map<String, Outcome> berthBuilds(Berth berth, List<String> cases, Path tree) throws Exception {
    Map<String, Outcome> out = new TreeMap<>();
    Path outside = Files.createDirectories(work.resolve("refused-while-reading"));
    Pattern folderError = Pattern.compile(Pattern.quote(tree.toString()) + "/([^/]+)/");
    Path index = work.resolve("store/index.json");
    for (int attempt = 0; attempt <= cases.size(); attempt++) {
      String before = Files.readString(index);
      Berth.Result result = berth.run("build", tree.toString(), "-j", "2");
      Matcher matcher = folderError.matcher(result.stderr());
      Matcher named = IMAGE_ERROR.matcher(result.stderr());
      String refused = matcher.find() ? matcher.group(1)
          : named.find() && cases.contains(named.group(1)) ? named.group(1) : null;
      if (result.exitCode() != 0 && result.stdout().isBlank() && refused != null) {
        String name = refused;
        assertThat(Files.readString(index)).as("the store after refusing %s", name).isEqualTo(before);
        out.put(name, new Outcome.Refused(result.stderr().strip(), true));
        Files.move(tree.resolve(name), outside.resolve(name));
        continue;
      }
      assertThat(result.stdout()).as("berth's summary; stderr: %s", result.stderr()).isNotBlank();
      for (String line : result.stdout().split("\n")) {
        String[] fields = line.strip().split("\\s+", 3);
        if (fields.length < 2) {
          continue;
        }
        String image = fields[1].split(":")[0].split("--")[0];
        if ((fields[0].equals("failed") || fields[0].equals("blocked")) && !out.containsKey(image)) {
          out.put(image, new Outcome.Refused(fields.length > 2 ? fields[2] : fields[0]));
        }
      }
      for (String name : cases) {
        out.putIfAbsent(name, new Outcome.Built());
      }
      return out;
    }
    throw new AssertionError("berth kept refusing the tree");
  }

  /**
   * The images dockerd built: one {@code docker save} of them all, except those without a layer,
   * which docker cannot save; their config comes from {@code docker image inspect}.
   */
  private static Map<String, CorpusImages.Image> dockerImages(List<String> tags) throws Exception {
    ProcessOutput inspected = dockerIn(false, Stream.concat(Stream.of("image", "inspect"), tags.stream())
        .toArray(String[]::new));
    assertThat(inspected.exitCode()).as(inspected.output()).isZero();
    Map<String, CorpusImages.Image> out = new TreeMap<>();
    List<String> withLayers = new ArrayList<>();
    for (var image : dev.berth.oci.Json.tree(inspected.output().getBytes(StandardCharsets.UTF_8))) {
      String tag = image.path("RepoTags").get(0).asText();
      if (image.path("RootFS").path("Layers").isEmpty()) {
        var config = dev.berth.oci.Json.mapper().createObjectNode();
        config.set("config", image.path("Config"));
        config.set("author", image.path("Author"));
        out.put(tag, new CorpusImages.Image(Map.of(), CorpusImages.config(config)));
      } else {
        withLayers.add(tag);
      }
    }
    Path saved = work.resolve("docker-images.tar");
    docker(true, Stream.concat(Stream.of("save", "-o", saved.toString()), withLayers.stream()).toArray(String[]::new));
    out.putAll(CorpusImages.fromDockerSave(saved));
    return out;
  }

  private static String verdict(Outcome theirs, Outcome ours, CorpusImages.Image theirImage,
      CorpusImages.Image ourImage) {
    if (theirs instanceof Outcome.Refused && ours instanceof Outcome.Refused) {
      return "both refused";
    }
    if (theirs instanceof Outcome.Refused refused) {
      return "differing: docker refused (" + refused.message() + "), berth built it";
    }
    if (ours instanceof Outcome.Refused refused) {
      return "differing: berth refused (" + refused.message() + "), docker built it";
    }
    if (ourImage == null || theirImage == null) {
      return "differing: no image from " + (ourImage == null ? "berth" : "docker") + " to compare";
    }
    List<String> differences = new ArrayList<>();
    compare("file", theirImage.files(), ourImage.files(), differences);
    compare("config", theirImage.config(), ourImage.config(), differences);
    return differences.isEmpty() ? "identical" : "differing: " + String.join("; ", differences);
  }

  private static void compare(String what, Map<String, String> theirs, Map<String, String> ours, List<String> out) {
    Set<String> keys = new TreeSet<>(theirs.keySet());
    keys.addAll(ours.keySet());
    for (String key : keys) {
      if (!java.util.Objects.equals(theirs.get(key), ours.get(key))) {
        out.add(what + " " + key + ": docker " + theirs.get(key) + ", berth " + ours.get(key));
      }
    }
  }

  /**
   * A refusal must be one line naming the Dockerfile line, and leave the store's images as they
   * were: the case is built again on its own to see both. Null when it does.
   */
  private static String refusalProblem(String name, Outcome.Refused refused) throws Exception {
    if (refused.readingTree()) {  // refused before anything was built, the store checked unchanged then
      return refused.message().lines().count() == 1 && LINE_ERROR.matcher(refused.message()).find() ? null
          : "refusal is not one line naming Dockerfile:LINE: " + refused.message().lines().findFirst().orElse("");
    }
    Path alone = Files.createDirectories(work.resolve("alone-" + name));
    prepare(name, alone.resolve(name));
    Path store = work.resolve("store");
    String before = Files.readString(store.resolve("index.json"));
    Berth.Result result = new Berth(store).run("build", alone.toString());
    // The refusal: berth's error line, or the image's "failed" line when the build itself failed
    String message = result.stderr().lines().filter(l -> l.startsWith("berth: error")).findFirst()
        .orElse(refused.message());
    if (result.exitCode() == 0) {
      return "berth built it when alone";
    }
    if (!Files.readString(store.resolve("index.json")).equals(before)) {
      return "the refused build changed the store's images";
    }
    if (result.stderr().lines().filter(l -> l.startsWith("berth: error")).count() > 1
        || !LINE_ERROR.matcher(message).find()) {
      return "refusal is not one line naming Dockerfile:LINE: " + message.lines().findFirst().orElse("");
    }
    return null;
  }

  private static void report(Map<String, String> verdicts, Map<String, Outcome> docker, Map<String, Outcome> ours,
      long dockerMillis, long berthMillis) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    verdicts.values().forEach(v -> counts.merge(v.startsWith("differing") ? "differing" : v, 1, Integer::sum));
    StringBuilder text = new StringBuilder("Dockerfile parity corpus: " + verdicts.size() + " cases " + counts
        + "; docker " + dockerMillis + " ms, berth " + berthMillis + " ms\n");
    verdicts.forEach((name, verdict) -> {
      text.append(name).append(": ").append(verdict).append('\n');
      if (verdict.equals("both refused")) {
        text.append("    docker: ").append(((Outcome.Refused) docker.get(name)).message()).append('\n');
        text.append("    berth:  ").append(((Outcome.Refused) ours.get(name)).message()).append('\n');
      }
    });
    Files.writeString(Path.of("target", "corpus-report.txt"), text);
    System.out.print(text);
  }

  private static Map<String, String> knownDifferences() throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (String line : Files.readAllLines(CORPUS.resolve("KNOWN-DIFFERENCES"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] fields = line.strip().split("\\s+", 2);
        out.put(fields[0], fields.length > 1 ? fields[1] : "");
      }
    }
    return out;
  }

  private static String lastLine(String text) {
    List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  record ProcessOutput(int exitCode, String output) {}

  private static ProcessOutput dockerIn(boolean buildkit, String... args) throws IOException, InterruptedException {
    String[] command = Stream.concat(Stream.of("/usr/bin/docker", "-H", "unix:///var/run/docker.sock"), Stream.of(args))
        .toArray(String[]::new);
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
    builder.environment().put("DOCKER_BUILDKIT", buildkit ? "1" : "0");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new ProcessOutput(process.waitFor(), output);
  }

  private static void docker(boolean mustSucceed, String... args) throws Exception {
    ProcessOutput result = dockerIn(false, args);
    if (mustSucceed) {
      assertThat(result.exitCode()).as("docker %s: %s", String.join(" ", args), result.output()).isZero();
    }
  }
}
