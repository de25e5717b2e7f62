package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import dev.berth.testing.LocalRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three Docker engines (scripts/test-engines: each its own data-root, exec-root, pidfile
 * and containerd, on loopback TCP with mutual TLS from certificates made by openssl) and a real
 * registry: a 30-image tree (three roots, depth 3) built across them; a worker killed mid-run; two
 * berth runs at once; workers that cannot be used. The engines are stopped after the class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
@Tag("registry")
@Tag("skopeo")
@Tag("dockerd")
@Tag("runc")
class FleetIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final int WORKERS = 3;

  @TempDir static Path work;
  static Path engines;
  static LocalRegistry registry;
  static Path store;
  static List<String> urls = new ArrayList<>();
  static String base;

  @BeforeAll
  static void fleet() throws Exception {
    registry = LocalRegistry.startPlain();
    engines = Path.of("/tmp/berth-fleet-it-" + ProcessHandle.current().pid());
    int port = freePortRange();
    Berth.tool(REPO, REPO.resolve("scripts/test-engines").toString(), "start", engines.toString(),
        String.valueOf(WORKERS), String.valueOf(port));
    for (int i = 1; i <= WORKERS; i++) {
      urls.add(Files.readString(engines.resolve("w" + i + "/url")).strip());
    }
    store = work.resolve("store");
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    new Berth(store).run("import", busybox, "--as", "test/busybox:1").succeeded();
    base = registry.host() + "/base/busybox:1";
    new Berth(store).run("push", "test/busybox:1", base).succeeded();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (engines != null) {
        Berth.tool(REPO, REPO.resolve("scripts/test-engines").toString(), "stop", engines.toString());
      }
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  /** Three roots, each with three children, each with two children: 30 images, depth 3. */
  static Path tree(Path root, String salt, int sleepSeconds) throws IOException {
    return tree(root, salt, sleepSeconds, 2);
  }

  /** Three roots, each with three children, each with {@code grandchildren} children. */
  static Path tree(Path root, String salt, int sleepSeconds, int grandchildren) throws IOException {
    Files.createDirectories(root);
    Files.writeString(root.resolve("berth.yaml"), "registry: " + registry.host() + "/fleet\n");
    for (int r = 1; r <= 3; r++) {
      image(root, "r" + r, base, salt, sleepSeconds);
      for (int c = 1; c <= 3; c++) {
        image(root, "r" + r + "c" + c, "r" + r, salt, sleepSeconds);
        for (int g = 1; g <= grandchildren; g++) {
          image(root, "r" + r + "c" + c + "g" + g, "r" + r + "c" + c, salt, sleepSeconds);
        }
      }
    }
    return root;
  }

  private static void image(Path root, String name, String parent, String salt, int sleepSeconds) throws IOException {
    Path folder = Files.createDirectories(root.resolve(name));
    Files.writeString(folder.resolve("image.yaml"), "base: " + parent + "\nrun:\n  - echo " + name + " " + salt
        + " > /" + name + (sleepSeconds > 0 ? " && sleep " + sleepSeconds : "") + "\nverify:\n  - test -f /" + name
        + "\n");
  }

  static List<String> workerArgs(String certs) {
    List<String> args = new ArrayList<>();
    for (String url : urls) {
      args.add("--worker");
      args.add(url + ",tls=" + engines.resolve(certs));
    }
    return args;
  }

  static String[] build(Path tree, List<String> workers, String... more) {
    List<String> args = new ArrayList<>(List.of("build", tree.toString(), "--output", "json"));
    args.addAll(workers);
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  @Order(1)
  void unusableWorkersAreRefusedWithOneLineNamingThem() throws Exception {
    Path tree = tree(work.resolve("refused"), "refused", 0);
    Berth berth = new Berth(store);
    int nothing = freePortRange();
    berth.run(build(tree, List.of("--worker", "tcp://127.0.0.1:" + nothing + ",tls=" + engines.resolve("client"))))
        .failedWithOneLine("tcp://127.0.0.1:" + nothing + ": unreachable");
    berth.run(build(tree, List.of("--worker", urls.get(0) + ",tls=" + engines.resolve("stranger"))))
        .failedWithOneLine(urls.get(0) + ": TLS handshake failed: the engine's certificate is not signed by");
    berth.run(build(tree, List.of("--worker", "tcp://10.0.0.1:2375")))
        .failedWithOneLine("tcp://10.0.0.1:2375: plain TCP to an engine off loopback");
    // An engine that answers /version as Docker 1.13 (API 1.26) did: openssl's TLS server with the engines' certificate.
    Path old = Files.createDirectories(work.resolve("old-engine"));
    Files.writeString(old.resolve("version"), "{\"Version\":\"1.13.1\",\"ApiVersion\":\"1.26\",\"Os\":\"linux\"}");
    int port = freePortRange();
    Process server = new ProcessBuilder("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port,
        "-cert", engines.resolve("certs/server-cert.pem").toString(),
        "-key", engines.resolve("certs/server-key.pem").toString(), "-WWW")
        .directory(old.toFile()).redirectErrorStream(true).redirectOutput(old.resolve("log").toFile()).start();
    try {
      waitForPort(port);
      berth.run(build(tree, List.of("--worker", "tcp://127.0.0.1:" + port + ",tls=" + engines.resolve("client"))))
          .failedWithOneLine("tcp://127.0.0.1:" + port + ": engine API 1.26 (Docker 1.13.1) is older than 1.40");
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(tree.resolve(".berth/journal.log")).doesNotExist();
  }

  @Test
  @Order(2)
  void thirtyImagesAcrossThreeWorkersEachKeyOnceChildrenAfterParents() throws Exception {
    Path tree = tree(work.resolve("thirty"), "thirty", 0);
    Berth.Result result = new Berth(store).run(build(tree, workerArgs("client")));
    result.succeeded();
    Map<String, String> keys = publishedKeys(result, 30);
    List<JsonNode> journal = journal(tree);
    // each key built exactly once: once in the journal, and tagged on exactly one engine
    Map<String, Integer> buildings = new HashMap<>();
    Set<String> workersUsed = new HashSet<>();
    for (JsonNode line : journal) {
      if ("building".equals(line.path("state").asText())) {
        buildings.merge(line.path("image").asText(), 1, Integer::sum);
        workersUsed.add(line.path("worker").asText());
      }
    }
    assertThat(buildings).hasSize(30).allSatisfy((image, count) -> assertThat(count).as(image).isEqualTo(1));
    assertThat(workersUsed).containsExactlyInAnyOrderElementsOf(urls);
    // the run's --output json names the worker of each image, as the journal does
    Map<String, String> journalWorker = new HashMap<>();
    for (JsonNode line : journal) {
      if ("published".equals(line.path("state").asText())) {
        journalWorker.put(line.path("image").asText(), line.path("worker").asText());
      }
    }
    for (JsonNode image : Json.tree(result.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8)).get("images")) {
      assertThat(image.path("worker").asText()).as("worker of %s", image.path("name").asText())
          .isIn(urls).isEqualTo(journalWorker.get(image.path("name").asText()));
    }
    Map<String, Integer> tagged = new HashMap<>();
    for (String url : urls) {
      for (String reference : Berth.tool(work, "/usr/bin/docker", "-H", url, "--tlsverify",
          "--tlscacert", engines.resolve("client/ca.pem").toString(), "--tlscert", engines.resolve("client/cert.pem").toString(),
          "--tlskey", engines.resolve("client/key.pem").toString(), "image", "ls", "--format", "{{.Repository}}:{{.Tag}}")
          .lines().toList()) {
        tagged.merge(reference, 1, Integer::sum);
      }
    }
    keys.forEach((name, key) -> assertThat(tagged.get(registry.host() + "/fleet/" + name + ":" + key))
        .as("engines tagging %s:%s", name, key).isEqualTo(1));
    // children start only after their parents are published
    Map<String, Instant> published = new HashMap<>();
    Map<String, Instant> started = new HashMap<>();
    for (JsonNode line : journal) {
      String state = line.path("state").asText();
      if (state.equals("published")) {
        published.put(line.path("image").asText(), Instant.parse(line.path("time").asText()));
      } else if (state.equals("building")) {
        started.put(line.path("image").asText(), Instant.parse(line.path("time").asText()));
      }
    }
    for (String name : keys.keySet()) {
      if (name.contains("c")) {
        String parent = name.substring(0, name.length() - 2);
        assertThat(started.get(name)).as(name + " starts after " + parent + " is published")
            .isAfterOrEqualTo(published.get(parent));
      }
    }
    assertReadable(keys);
    assertThat(claimTags(keys.keySet())).as("the claims of published keys are deleted").isEmpty();
    String status = new Berth(store).run("status", tree.toString()).succeeded().stdout();
    assertThat(status).contains("on " + urls.get(0)).containsPattern("published +r1c1g1 ");
  }

  @Test
  @Order(3)
  void twoRunsAtOnceEndConsistent() throws Exception {
    Path first = tree(work.resolve("twice-a"), "twice", 1, 0);  // 12 images: what counts is the two runs
    Path second = tree(work.resolve("twice-b"), "twice", 1, 0);
    Berth berth = new Berth(store);
    Process a = berth.start(build(first, workerArgs("client")));
    Process b = berth.start(build(second, workerArgs("client")));
    String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String outB = new String(b.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(a.waitFor(10, TimeUnit.MINUTES) && b.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(a.exitValue()).as(outA).isZero();
    assertThat(b.exitValue()).as(outB).isZero();
    Map<String, String> keysA = keys(Json.tree(outA.getBytes(StandardCharsets.UTF_8)));
    Map<String, String> keysB = keys(Json.tree(outB.getBytes(StandardCharsets.UTF_8)));
    assertThat(keysA).hasSize(12).isEqualTo(keysB);
    Set<String> builtA = builtImages(first);
    Set<String> builtB = builtImages(second);
    Set<String> both = new HashSet<>(builtA);
    both.retainAll(builtB);
    System.out.printf("FleetIT two runs: first built %d, second built %d, both built %d of 12 keys%n",
        builtA.size(), builtB.size(), both.size());
    assertThat(builtA.size() + builtB.size() - both.size()).isEqualTo(12);
    assertReadable(keysA);
  }

  @Test
  @Order(4)
  void testScriptRunsItsDockerCommandsOnTheWorkerThatBuiltTheImage() throws Exception {
    Path tree = work.resolve("scripted");
    image(tree, "solo", base, "scripted", 0);
    Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/fleet\nworkers:\n  - url: "
        + urls.get(1) + "\n    tls: " + engines.resolve("client") + "\n");
    Files.writeString(tree.resolve("solo/test.sh"), "#!/bin/sh\nset -e\necho \"engine $DOCKER_HOST\"\n"
        + "test \"$(docker run --rm --network none \"$1\" cat /solo)\" = \"solo scripted\"\necho checked \"$1\"\n");
    Berth.Result result = new Berth(store).run("build", tree.toString());
    result.succeeded();
    assertThat(result.stderr()).contains("solo | engine " + urls.get(1)).contains("solo | checked " + registry.host()
        + "/fleet/solo:");
    Files.writeString(tree.resolve("solo/test.sh"), "#!/bin/sh\ndocker run --rm --network none \"$1\" test -f /absent\n");
    Files.writeString(tree.resolve("solo/image.yaml"), Files.readString(tree.resolve("solo/image.yaml"))
        .replace("scripted", "scripted-again"));
    Berth.Result failed = new Berth(store).run("build", tree.toString());
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.stdout()).containsPattern("failed +solo +verify failed: test.sh exited 1 on " + urls.get(1));
  }

  @Test
  @Order(5)
  void aWorkerKilledMidRunHasItsImagesRescheduledAndIsTakenBackWhenItAnswersAgain() throws Exception {
    // 12 images, one at a time per worker, so the run outlasts the killed engine's restart
    Path tree = tree(work.resolve("killed"), "killed", 3, 0);
    Berth berth = new Berth(store);
    Process run = berth.start(build(tree, workerArgs("client"), "-j", "1"));
    Path log = tree.resolve(".berth/journal.log");
    String victim = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (victim == null && System.nanoTime() < deadline && run.isAlive()) {
      Thread.sleep(200);
      if (Files.exists(log)) {
        List<JsonNode> lines = journal(tree);
        long done = lines.stream().filter(line -> "published".equals(line.path("state").asText())).count();
        Map<String, String> building = new TreeMap<>();
        for (JsonNode line : lines) {
          String image = line.path("image").asText();
          if ("building".equals(line.path("state").asText())) {
            building.put(image, line.path("worker").asText());
          } else if (line.has("state") && !line.path("state").asText().equals("built")) {
            building.remove(image);
          }
        }
        if (done >= 3 && !building.isEmpty()) {
          victim = building.values().iterator().next();
        }
      }
    }
    assertThat(victim).as("a worker building mid-run").isNotNull();
    int index = urls.indexOf(victim) + 1;
    long pid = Long.parseLong(Files.readString(engines.resolve("w" + index + "/dockerd.pid")).strip());
    Berth.tool(work, "kill", "-9", String.valueOf(pid));
    Instant killed = Instant.now();
    Berth.tool(REPO, REPO.resolve("scripts/test-engines").toString(), "restart", engines.toString(),
        String.valueOf(index));
    Instant restarted = Instant.now();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.waitFor(10, TimeUnit.MINUTES)).isTrue();
    String progress = berth.stderrOf(run);
    assertThat(run.exitValue()).as(out + progress).isZero();
    Map<String, String> keys = keys(Json.tree(out.getBytes(StandardCharsets.UTF_8)));
    assertThat(keys).hasSize(12);
    List<JsonNode> journal = journal(tree);
    Map<String, List<String>> workersPerImage = new HashMap<>();
    for (JsonNode line : journal) {
      if ("building".equals(line.path("state").asText())) {
        workersPerImage.computeIfAbsent(line.path("image").asText(), k -> new ArrayList<>())
            .add(line.path("worker").asText());
      }
    }
    String down = victim;
    assertThat(workersPerImage.values()).as("an image of the killed worker built again elsewhere")
        .anySatisfy(workers -> assertThat(workers).contains(down).hasSizeGreaterThan(1));
    assertThat(progress).contains("worker " + victim + " is down").contains("worker " + victim + " is up again");
    // probed again and re-admitted: the restarted engine builds and publishes images after its restart
    assertThat(journal).as("the restarted worker takes work again").anySatisfy(line -> {
      assertThat(line.path("state").asText()).isEqualTo("published");
      assertThat(line.path("worker").asText()).isEqualTo(down);
      assertThat(Instant.parse(line.path("time").asText())).isAfter(restarted);
    });
    System.out.printf("FleetIT: %s killed at %s, restarted %.1f s later%n", victim, killed,
        java.time.Duration.between(killed, restarted).toMillis() / 1000.0);
    assertReadable(keys);
  }

  @Test
  @Order(6)
  void aLongBuildRenewsItsClaimSoASecondRunWaitsInsteadOfBuildingIt() throws Exception {
    // the claims last 3 s, the build 20 s (long enough for a second JVM to start and plan on a loaded
    // machine): without renewal the second run would take the key over
    Path first = work.resolve("renewed-a");
    Path second = work.resolve("renewed-b");
    for (Path tree : List.of(first, second)) {
      image(tree, "slow", base, "renewed", 20);
      Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/fleet\n");
    }
    Berth berth = new Berth(store);
    Process a = berth.start(build(first, workerArgs("client"), "--claim-lease", "3"));
    awaitBuilding(first, "slow", a);
    Thread.sleep(1000);
    Berth.Result b = berth.run(build(second, workerArgs("client"), "--claim-lease", "3"));
    String outA = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(a.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(a.exitValue()).as(outA + berth.stderrOf(a)).isZero();
    b.succeeded();
    assertThat(berth.stderrOf(a)).contains("slow: claim on ");
    assertThat(b.stderr()).contains("slow: waiting, another run builds it").doesNotContain("expired; building it here");
    assertThat(builtImages(first)).containsExactly("slow");
    assertThat(builtImages(second)).as("the second run built nothing").isEmpty();
    assertThat(keys(Json.tree(b.stdout().getBytes(StandardCharsets.UTF_8)))).isEqualTo(
        keys(Json.tree(outA.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  @Order(7)
  void aKilledRunsClaimExpiresIsTakenOverAndSpentClaimsArePruned() throws Exception {
    Path first = work.resolve("stale-a");
    Path second = work.resolve("stale-b");
    for (Path tree : List.of(first, second)) {
      image(tree, "orphan", base, "stale", 4);
      image(tree, "left", base, "stale", 4);
      Files.writeString(tree.resolve("berth.yaml"), "registry: " + registry.host() + "/fleet\n");
    }
    Berth berth = new Berth(store);
    Process a = berth.start(build(first, workerArgs("client"), "--claim-lease", "2"));
    awaitBuilding(first, "orphan", a);
    awaitBuilding(first, "left", a);
    a.destroyForcibly();  // kill -9: its claims stay in the registry and stop being renewed
    a.waitFor(30, TimeUnit.SECONDS);
    assertThat(claimTags(List.of("orphan", "left"))).hasSize(2);
    // the second run builds only "orphan": the dead run's claim on it expires, and this run takes it over
    Berth.Result b = berth.run(build(second, workerArgs("client"), "--select", "orphan"));
    b.succeeded();
    assertThat(b.stderr()).contains("orphan: the claim of ").contains("expired; building it here");
    assertThat(builtImages(second)).containsExactly("orphan");
    assertThat(claimTags(List.of("orphan"))).as("published: its claim is deleted").isEmpty();
    // "left" keeps the dead run's expired claim until pruned
    Thread.sleep(2000);
    assertThat(claimTags(List.of("left"))).hasSize(1);
    Berth.Result pruned = berth.run("workers", second.toString(), "--prune-claims", "--output", "json").succeeded();
    JsonNode listing = Json.tree(pruned.stdout().getBytes(StandardCharsets.UTF_8)).path("pruned");
    assertThat(listing).hasSize(1);
    assertThat(listing.get(0).path("image").asText()).isEqualTo("left");
    assertThat(listing.get(0).path("why").asText()).isEqualTo("expired");
    assertThat(claimTags(List.of("orphan", "left"))).isEmpty();
    assertThat(berth.run("workers", second.toString(), "--prune-claims").succeeded().stdout())
        .contains("0 spent claims deleted");
  }

  /** Waits until run {@code process} on {@code tree} journals {@code image} as building. */
  private static void awaitBuilding(Path tree, String image, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (Files.exists(tree.resolve(".berth/journal.log")) && journal(tree).stream().anyMatch(line ->
          image.equals(line.path("image").asText()) && "building".equals(line.path("state").asText()))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(image + " never started building in " + tree);
  }

  /** The claim tags ({@code KEYTAG-claim}) in the images' repositories, read by skopeo. */
  private static List<String> claimTags(java.util.Collection<String> images) throws Exception {
    List<String> claims = new ArrayList<>();
    for (String image : images) {
      String tags = Berth.tool(work, "skopeo", "list-tags", "--tls-verify=false",
          "docker://" + registry.host() + "/fleet/" + image);
      for (JsonNode tag : Json.tree(tags.getBytes(StandardCharsets.UTF_8)).path("Tags")) {
        if (tag.asText().endsWith("-claim")) {
          claims.add(image + ":" + tag.asText());
        }
      }
    }
    return claims;
  }

  private static Map<String, String> publishedKeys(Berth.Result result, int count) {
    Map<String, String> keys = keys(Json.tree(result.stdout().getBytes(StandardCharsets.UTF_8)));
    assertThat(keys).hasSize(count);
    return keys;
  }

  private static Map<String, String> keys(JsonNode run) {
    Map<String, String> keys = new TreeMap<>();
    for (JsonNode image : run.path("images")) {
      assertThat(image.path("state").asText()).as(image.toString()).isIn("published", "cached");
      keys.put(image.path("name").asText(), image.path("key").asText());
    }
    return keys;
  }

  private static Set<String> builtImages(Path tree) throws IOException {
    Set<String> built = new HashSet<>();
    for (JsonNode line : journal(tree)) {
      if ("built".equals(line.path("state").asText())) {
        built.add(line.path("image").asText());
      }
    }
    return built;
  }

  static List<JsonNode> journal(Path tree) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(tree.resolve(".berth/journal.log"))) {
      try {
        lines.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
      } catch (RuntimeException torn) {
        // the last line may be in the middle of being written
      }
    }
    return lines;
  }

  /** skopeo, an independent client, reads every published image from the registry. */
  private static void assertReadable(Map<String, String> keys) throws Exception {
    for (var entry : keys.entrySet()) {
      String inspect = Berth.tool(work, "skopeo", "inspect", "--tls-verify=false",
          "docker://" + registry.host() + "/fleet/" + entry.getKey() + ":" + entry.getValue());
      assertThat(Json.tree(inspect.getBytes(StandardCharsets.UTF_8)).path("Layers").size())
          .as(entry.getKey()).isGreaterThanOrEqualTo(2);
    }
  }

  private static int freePortRange() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      if (port + WORKERS < 65535 && free(port + 1) && free(port + 2)) {
        return port;
      }
    }
    throw new IOException("no free ports");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void waitForPort(int port) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException("nothing listens on " + port);
  }
}
