package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.ImageManifest;
import dev.berth.store.ContentStore;
import dev.berth.testing.LocalRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue of bad inputs, one table: every case must fail with exactly one line on stderr that
 * names the place ({@code FILE:LINE} for text inputs, the image for tree problems, the reference for
 * registry problems) and the problem, exit 1 (2 for usage errors, with a hint to --help), use no
 * Java or library wording, and leave the store unchanged byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
@Tag("registry")
@Tag("runc")
class BadInputCatalogueIT {
  /** Wording that belongs to the JVM or a library, never to berth's users. */
  static final Pattern JAVA_WORDING = Pattern.compile("java\\.|javax\\.|com\\.fasterxml|org\\.yaml|org\\.apache"
      + "|\\b[A-Z][A-Za-z]+(Exception|Error)\\b|LinkedHashMap|ArrayList|Illegal character|out of range:"
      + "|Input length|Cannot deserialize|not an int\\b|not a long\\b|\\tat |\\(through reference chain|`[A-Za-z.]+`|Source: \\(");

  /** Makes a case's files in its own directory {@code dir}. */
  interface Setup {
    void make(Path dir) throws Exception;
  }

  /**
   * One bad input: what to lay out, the berth arguments ({dir} is the case's directory,
   * {registry} the test registry's host), the exit status, and the two parts of the expected line.
   */
  record Case(String name, Setup setup, List<String> args, int exit, String where, String what, boolean pullStore) {
    @Override
    public String toString() {
      return name;
    }
  }

  Path work;
  Path store;
  Path pullStore;
  LocalRegistry registry;
  Berth berth;
  Berth pulling;

  @BeforeAll
  void storeAndRegistry() throws Exception {
    work = Files.createTempDirectory("berth-bad-input");
    store = work.resolve("store");
    pullStore = work.resolve("pull-store");
    berth = new Berth(store);
    pulling = new Berth(pullStore);
    Path image = Files.createDirectories(work.resolve("fixture/good"));
    Files.writeString(image.resolve("hello.txt"), "hello from the catalogue");
    Files.writeString(image.resolve("image.yaml"), "base: scratch\ncopy:\n  - {src: hello.txt, dest: /hello.txt}\n");
    berth.run("build", image.toString()).succeeded();
    tar(work.resolve("fixture/rootfs.tar"), Map.of("bin/tool", "#!/bin/sh\n"), Map.of());
    berth.run("import", work.resolve("fixture/rootfs.tar").toString(), "--as", "tools/base:1", "--no-snapshot")
        .succeeded();
    pulling.run("import", work.resolve("fixture/rootfs.tar").toString(), "--as", "tools/base:1", "--no-snapshot")
        .succeeded();

    registry = LocalRegistry.startPlain();
    String built = berth.run("store", "ls").succeeded().stdout().lines()
        .filter(line -> line.startsWith("good:")).findFirst().orElseThrow().split("\\s+")[0];
    berth.run("push", built, "docker://" + registry.host() + "/team/corrupt:1").succeeded();
    Digest layer;
    ContentStore opened = ContentStore.openExisting(store);
    layer = ImageManifest.parse(opened.readBlob(opened.resolve(built).orElseThrow().digest())).layers().get(0).digest();
    byte[] data = Files.readAllBytes(registry.blobData(layer));
    data[data.length / 2] ^= 0x5a;  // same size, other content: only the digest check can notice
    Files.write(registry.blobData(layer), data);
  }

  @AfterAll
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithOneLineThatSaysWhatAndWhere(Case c) throws Exception {
    Path dir = Files.createDirectories(work.resolve("cases").resolve(c.name().replaceAll("[^a-z0-9]+", "-")));
    c.setup().make(dir);
    Path target = c.pullStore() ? pullStore : store;
    Map<String, String> before = contents(target);
    String[] args = c.args().stream().map(arg -> expand(arg, dir)).toArray(String[]::new);
    Berth.Result result = (c.pullStore() ? pulling : berth).run(args);

    assertThat(result.exitCode()).as("exit status; stderr: %s", result.stderr()).isEqualTo(c.exit());
    assertThat(result.stderr().strip().lines()).as("stderr").hasSize(1);
    String line = result.stderr().strip();
    assertThat(line).startsWith("berth: error: ").contains(expand(c.where(), dir)).contains(c.what());
    assertThat(JAVA_WORDING.matcher(line).find()).as("Java or library wording in: %s", line).isFalse();
    if (c.exit() == ExitCodes.USAGE) {
      assertThat(line).containsPattern("see `berth( [a-z]+)* --help`$");
    }
    assertThat(contents(target)).as("the store").isEqualTo(before);
  }

  private String expand(String text, Path dir) {
    return text.replace("{dir}", dir.toString()).replace("{registry}", registry.host());
  }

  /** Every file of the store with the SHA-256 of its bytes (lock files aside: they are held, not content). */
  static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        if (file.getFileName().toString().endsWith(".lock")) {
          continue;
        }
        try {
          out.put(root.relativize(file).toString(),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  // ---- the table ----

  Stream<Case> cases() {
    return Stream.of(imageYaml(), berthYaml(), dockerfiles(), dockerPkg(), trees(), commandLine(), tarballs(),
        registries()).flatMap(List::stream);
  }

  private static final String SCRATCH_COPY = "base: scratch\ncopy:\n  - {src: hello.txt, dest: /hello.txt}\n";

  private static List<Case> imageYaml() {
    return List.of(
        image("stop signal SIGFOO", "base: scratch\nstop_signal: SIGFOO\n", "image.yaml:2:", "invalid stop signal 'SIGFOO'"),
        image("port 99999", "base: scratch\nexpose: [\"99999\"]\n", "image.yaml:2:", "invalid port '99999'"),
        image("port protocol", "base: scratch\nexpose: [\"80/xyz\"]\n", "image.yaml:2:", "invalid port '80/xyz'"),
        binaryImage(),
        image("invalid base reference", "base: \"Bad:Ref::x\"\n", "image.yaml:1:", "invalid image reference 'Bad:Ref::x'"),
        image("base registry port 99999", "base: localhost:99999/x:1\n", "image.yaml:1:", "the port is above 65535"),
        image("base oci without dir", "base: \"oci:\"\n", "image.yaml:1:", "invalid base 'oci:'"),
        image("base not in the store", "base: nowhere/base:1\n", "nowhere/base:1", "is not in the store"),
        image("base oci layout missing", "base: \"oci:{dir}/nothing:1\"\n", "{dir}/nothing", "not an OCI image layout"),
        image("base docker-archive missing", "base: \"docker-archive:{dir}/none.tar\"\n", "{dir}/none.tar",
            "no such file"),
        image("tab in image.yaml", "base: scratch\ncopy:\n\t- {src: hello.txt, dest: /h}\n", "image.yaml:3:", "tab"),
        image("unknown key", "base: scratch\nflavour: mint\n", "image.yaml:2:", "unknown key 'flavour'"),
        image("expose is a mapping", "base: scratch\nexpose: {a: b}\n", "image.yaml:2:", "'expose' must be a list"),
        image("labels is a list", "base: scratch\nlabels: [a]\n", "image.yaml:2:", "'labels' must be a mapping"),
        image("entrypoint is a mapping", "base: scratch\nentrypoint: {a: b}\n", "image.yaml:2:", "must be a list"),
        image("document is a list", "- base\n- scratch\n", "image.yaml:1:", "the file must be a mapping"),
        image("empty file", "", "image.yaml", "the file is empty"),
        image("duplicate key", "base: scratch\nbase: scratch\n", "image.yaml:2:", "'base'"),
        image("invalid image name", "name: Bad Name\nbase: scratch\n", "image.yaml:1:", "invalid image name 'Bad Name'"),
        image("invalid tag", "base: scratch\ntags: [\"v1..2/x\"]\n", "image.yaml:2:", "invalid tag 'v1..2/x'"),
        image("unknown tag variable", "base: scratch\ntags: [\"{colour}\"]\n", "image.yaml:2:", "unknown tag variable {colour}"),
        image("version tag without changelog", "base: scratch\ntags: [\"{version}\"]\n", "image.yaml",
            "no changelog"),
        image("environment name", "base: scratch\nenv: {1X: a}\n", "image.yaml:2:", "invalid environment variable name '1X'"),
        image("relative workdir", "base: scratch\nworkdir: app\n", "image.yaml:2:", "'workdir' must be an absolute path"),
        image("mode not quoted", "base: scratch\ncopy:\n  - {src: hello.txt, dest: /h, mode: 0644}\n", "image.yaml:3:",
            "must be a quoted string"),
        image("mode not octal", "base: scratch\ncopy:\n  - {src: hello.txt, dest: /h, mode: \"0999\"}\n",
            "image.yaml:3:", "invalid mode '0999'"),
        image("copy without dest", "base: scratch\ncopy:\n  - {src: hello.txt}\n", "image.yaml:2:", "'copy.dest' is missing"),
        image("relative copy dest", "base: scratch\ncopy:\n  - {src: hello.txt, dest: h}\n", "image.yaml:",
            "'copy.dest' must be an absolute path"),
        image("network bridge", "base: scratch\nnetwork: bridge\n", "image.yaml:2:", "invalid network 'bridge'"),
        image("platform unknown", "base: scratch\nplatform: linux/zz80\n", "image.yaml:2:", "unknown architecture 'zz80'"),
        image("empty run command", "base: scratch\nrun: [\"\"]\n", "image.yaml:2:", "a command must not be empty"),
        image("apt option as package", "base: scratch\napt: [\"-y\"]\n", "image.yaml:2:", "invalid apt package '-y'"),
        image("steps with sugar keys", "base: scratch\napt: [jq]\nsteps:\n  - run: \"echo\"\n", "image.yaml:3:",
            "'steps' gives the order"),
        image("copy source outside", "base: scratch\ncopy:\n  - {src: ../secret.txt, dest: /x}\n", "image.yaml:3:",
            "is outside the image folder"),
        image("copy source missing", "base: scratch\ncopy:\n  - {src: nope.txt, dest: /x}\n", "img: ",
            "source 'nope.txt' does not exist"),
        new Case("symlink pointing outside", dir -> {
          write(dir, "img/image.yaml", "base: scratch\ncopy:\n  - {src: app/, dest: /app}\n");
          Files.createDirectories(dir.resolve("img/app"));
          Files.createSymbolicLink(dir.resolve("img/app/passwd"), Path.of("/etc/passwd"));
        }, List.of("build", "{dir}/img"), 1, "img: ", "symlink 'app/passwd' points outside the image folder", false),
        image("changelog version not a tag", SCRATCH_COPY, "img: {dir}/img/changelog", "version '1.0~rc1' is not a valid tag",
            "changelog", "img (1.0~rc1) unstable; urgency=medium\n\n  * x\n\n -- A <a@b>  Sun, 22 Nov 2026 10:00:00 +0000\n"),
        image("changelog header", SCRATCH_COPY, "changelog:2:", "not a Debian changelog entry header",
            "changelog", "\nthis is not a changelog\n"),
        image("dockerignore open bracket", SCRATCH_COPY, ".dockerignore:1:", "invalid pattern 'app/f['",
            ".dockerignore", "app/f[\n"),
        image("dockerignore backwards range", SCRATCH_COPY, ".dockerignore:2:", "the range 'z-a' runs backwards",
            ".dockerignore", "# comment\n[z-a]*\n"),
        image("dockerignore empty class", SCRATCH_COPY, ".dockerignore:1:", "empty character class",
            ".dockerignore", "x[]\n"),
        image("dockerignore binary", SCRATCH_COPY, ".dockerignore:2:", "not a text file",
            ".dockerignore", "ok\n\u0001\u0002\n"),
        image("source excluded by dockerignore", SCRATCH_COPY, "img: ", "is excluded by .dockerignore",
            ".dockerignore", "hello.txt\n"),
        image("gitignore open bracket", SCRATCH_COPY + "gitignore: true\n", ".gitignore:2:",
            "invalid pattern '[unclosed'", ".gitignore", "ok\n[unclosed\n"),
        image("gitignore binary", SCRATCH_COPY + "gitignore: true\n", ".gitignore:2:", "not a text file",
            ".gitignore", "ok\n\u0001\u0002\n"),
        image("source ignored by gitignore", SCRATCH_COPY + "gitignore: true\n", "img: ",
            "is ignored by .gitignore", ".gitignore", "hello.txt\n"));
  }

  private static List<Case> berthYaml() {
    return List.of(
        tree("jobs many", "jobs: many\n", "berth.yaml:1:", "'jobs' must be a whole number"),
        tree("jobs zero", "jobs: 0\n", "berth.yaml:1:", "'jobs' must be at least 1"),
        tree("tab in berth.yaml", "registry: example.org/team\n\tjobs: 2\n", "berth.yaml:2:", "tab"),
        tree("berth.yaml is a list", "- registry\n- jobs\n", "berth.yaml:1:", "the file must be a mapping"),
        tree("berth.yaml unknown key", "colour: blue\n", "berth.yaml:1:", "unknown key 'colour'"),
        tree("registry invalid", "registry: \"BAD REG//\"\n", "berth.yaml:1:", "'registry' is HOST[:PORT][/NAMESPACE]"),
        tree("registry with a scheme", "jobs: 2\nregistry: https://example.org/team\n", "berth.yaml:2:", "without a scheme"),
        tree("registry port 99999", "registry: localhost:99999/team\n", "berth.yaml:1:", "the port is above 65535"),
        tree("registry without a host", "registry: team\n", "berth.yaml:1:", "the first part must be a host"),
        tree("platform invalid", "platform: amd64\n", "berth.yaml:1:", "expected os/arch"),
        tree("variables a list", "variables: [a, b]\n", "berth.yaml:1:", "'variables' must be a mapping"),
        new Case("berth.yaml binary", dir -> {
          write(dir, "x/image.yaml", "base: scratch\n");
          Files.write(dir.resolve("berth.yaml"), new byte[] {'j', 'o', 'b', 's', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        }, List.of("build", "{dir}"), 1, "berth.yaml:1:", "not a text file", false));
  }

  private static List<Case> dockerfiles() {
    return List.of(
        dockerfile("STOPSIGNAL SIGFOO", "FROM scratch\nSTOPSIGNAL SIGFOO\n", "Dockerfile:2:", "invalid stop signal 'SIGFOO'"),
        dockerfile("FROM invalid reference", "FROM Bad:Ref::x\n", "Dockerfile:1:", "invalid image reference 'Bad:Ref::x'"),
        dockerfile("FROM registry port 99999", "FROM localhost:99999/x:1\n", "Dockerfile:1:", "the port is above 65535"),
        dockerfile("unknown instruction", "FROM scratch\nFROB x\n", "Dockerfile:2:", "FROB"),
        dockerfile("no FROM", "# nothing\n", "Dockerfile", "no FROM instruction"),
        dockerfile("instruction before FROM", "COPY a /a\nFROM scratch\n", "Dockerfile:1:", "before the first FROM"),
        dockerfile("FROM with too many words", "FROM scratch AS a b\n", "Dockerfile:1:", "FROM takes IMAGE [AS NAME]"),
        dockerfile("COPY source missing", "FROM scratch\nCOPY nope.txt /x\n", "", "nope.txt"),
        new Case("Dockerfile binary", dir -> {
          Files.createDirectories(dir.resolve("img"));
          Files.write(dir.resolve("img/Dockerfile"), new byte[] {'F', 'R', 'O', 'M', ' ', (byte) 0xc3, (byte) 0x28, '\n'});
        }, List.of("build", "{dir}/img"), 1, "Dockerfile:1:", "not a text file", false));
  }

  private static final String CHANGELOG = " (1.0-1) unstable; urgency=medium\n\n  * x\n\n -- A <a@b>  Sun, 22 Nov 2026 10:00:00 +0000\n";

  private static List<Case> dockerPkg() {
    return List.of(
        dockerPkg("config.yaml is a list", "- a\n- b\n", "FROM scratch\n", "config.yaml:1:", "config must be a mapping"),
        dockerPkg("tab in config.yaml", "registry: example.org\n\tnamespace: x\n", "FROM scratch\n", "config.yaml:2:", "tab"),
        dockerPkg("template STOPSIGNAL", "registry: example.org\n", "FROM scratch\nSTOPSIGNAL SIGFOO\n",
            "Dockerfile.template:2:", "invalid stop signal 'SIGFOO'"),
        dockerPkg("template FROM invalid", "registry: example.org\n", "FROM Bad:Ref::x\n",
            "Dockerfile.template:1:", "invalid image reference"),
        dockerPkg("known_uid_mappings a list", "known_uid_mappings: [a]\n", "FROM scratch\n", "config.yaml",
            "'known_uid_mappings' must be a mapping"));
  }

  private static List<Case> trees() {
    return List.of(
        new Case("dependency cycle", dir -> {
          write(dir, "a/image.yaml", "base: b\n");
          write(dir, "b/image.yaml", "base: a\n");
        }, List.of("build", "{dir}"), 1, "a -> b -> a", "dependency cycle", false),
        new Case("two images with one name", dir -> {
          write(dir, "a/image.yaml", "name: x\nbase: scratch\n");
          write(dir, "b/image.yaml", "name: x\nbase: scratch\n");
        }, List.of("build", "{dir}"), 1, "'x'", "two images are named", false),
        new Case("select matches nothing", dir -> write(dir, "a/image.yaml", "base: scratch\n"),
            List.of("build", "{dir}", "--select", "nomatch"), 1, "'nomatch'", "matches no image", false),
        new Case("tree does not exist", dir -> { }, List.of("build", "{dir}/absent"), 1, "{dir}/absent", "no such", false),
        new Case("one bad image stops the whole build", dir -> {
          write(dir, "good/image.yaml", "base: scratch\n");
          write(dir, "bad/image.yaml", "base: scratch\ncopy:\n  - {src: nope, dest: /x}\n");
        }, List.of("build", "{dir}"), 1, "bad: ", "does not exist", false));
  }

  private static List<Case> commandLine() {
    return List.of(
        usage("unknown option", List.of("build", "--bogus"), "build", "unknown option: '--bogus'"),
        usage("missing parameter", List.of("import"), "import", "missing required"),
        usage("unknown subcommand", List.of("bild"), "", "bild"),
        usage("jobs not a number", List.of("build", "{dir}", "-j", "abc"), "build", "'abc' is not a whole number"),
        usage("jobs zero", List.of("build", "{dir}", "-j", "0"), "build", "-j must be at least 1"),
        usage("output into a missing directory", List.of("build", "{dir}", "--output", "docker-archive:{dir}/no/x.tar"),
            "{dir}/no", "does not exist"),
        usage("output transport unknown", List.of("build", "{dir}", "--output", "tarball:x"), "tarball:x", "invalid --output"),
        usage("graph format", List.of("graph", "{dir}", "--format", "png"), "png", "--format is dot or mermaid"),
        usage("store subcommand unknown", List.of("store", "tidy"), "store", "'tidy'"),
        usage("import as a digest", List.of("import", "{dir}/x.tar", "--as",
            "a@sha256:" + "0".repeat(64)), "import", "--as takes NAME:TAG"));
  }

  private static List<Case> tarballs() {
    return List.of(
        importing("absolute symlink then a file through it", dir -> tar(dir.resolve("in.tar"), Map.of("link/passwd", "x"),
            Map.of("link", "/etc")), "in.tar", "would be written through the symlink 'link'"),
        importing("relative symlink then a file through it", dir -> tar(dir.resolve("in.tar"), Map.of("a/b/c", "x"),
            Map.of("a", "usr")), "in.tar", "through the symlink 'a'"),
        importing("entry with ..", dir -> tar(dir.resolve("in.tar"), Map.of("etc/../../escaped", "x"), Map.of()),
            "in.tar", "points outside the root"),
        importing("not a tar", dir -> Files.writeString(dir.resolve("in.tar"), "just some text, not a tarball\n"),
            "in.tar", "not a"),
        importing("missing tarball", dir -> { }, "in.tar", "no such file"),
        importing("empty tar", dir -> tar(dir.resolve("in.tar"), Map.of(), Map.of()), "in.tar", "empty"));
  }

  private static List<Case> registries() {
    return List.of(
        new Case("pulled layer fails its digest", dir -> { },
            List.of("pull", "docker://{registry}/team/corrupt:1"), 1, "team/corrupt", "has the wrong digest", true),
        new Case("pull of a missing image", dir -> { },
            List.of("pull", "docker://{registry}/team/missing:1"), 1, "team/missing", "", true),
        new Case("pull from a closed port", dir -> { },
            List.of("pull", "docker://127.0.0.1:1/team/x:1"), 1, "127.0.0.1:1", "cannot connect", true),
        new Case("pull with an invalid reference", dir -> { },
            List.of("pull", "docker://{registry}/Team/X:1"), 1, "Team/X", "invalid", true),
        new Case("pull with port 99999", dir -> { },
            List.of("pull", "docker://localhost:99999/x:1"), 1, "localhost:99999", "the port is above 65535", true),
        new Case("push of an image not in the store", dir -> { },
            List.of("push", "nothing:1", "docker://{registry}/team/nothing:1"), 1, "nothing:1", "", false),
        new Case("build --push to a closed registry", dir -> {
          write(dir, "berth.yaml", "registry: 127.0.0.1:1/team\n");
          write(dir, "x/image.yaml", "base: scratch\n");
        }, List.of("build", "{dir}", "--push"), 1, "127.0.0.1:1", "cannot connect", false));
  }

  // ---- how cases are made ----

  private static Case image(String name, String yaml, String where, String what, String... moreFiles) {
    return new Case(name, dir -> {
      write(dir, "img/hello.txt", "hi");
      write(dir, "img/image.yaml", yaml.replace("{dir}", dir.toString()));
      for (int i = 0; i < moreFiles.length; i += 2) {
        write(dir, "img/" + moreFiles[i], moreFiles[i + 1]);
      }
    }, List.of("build", "{dir}/img"), 1, where.startsWith("{dir}") || where.startsWith("img") || !where.contains(".")
        ? where : "{dir}/img/" + where, what, false);
  }

  private static Case binaryImage() {
    return new Case("binary garbage in image.yaml", dir -> {
      Files.createDirectories(dir.resolve("img"));
      Files.write(dir.resolve("img/image.yaml"), new byte[] {'b', 'a', 's', 'e', ':', ' ', 's', '\n', 0x7f, 'E', 'L',
          'F', (byte) 0x80, (byte) 0x81, 0, 0, '\n'});
    }, List.of("build", "{dir}/img"), 1, "{dir}/img/image.yaml:2:", "not a text file", false);
  }

  private static Case tree(String name, String berthYaml, String where, String what) {
    return new Case(name, dir -> {
      write(dir, "x/image.yaml", "base: scratch\n");
      write(dir, "berth.yaml", berthYaml);
    }, List.of("build", "{dir}"), 1, "{dir}/" + where, what, false);
  }

  private static Case dockerfile(String name, String text, String where, String what) {
    return new Case(name, dir -> write(dir, "img/Dockerfile", text), List.of("build", "{dir}/img"), 1,
        where.isEmpty() ? "img" : "{dir}/img/" + where, what, false);
  }

  private static Case dockerPkg(String name, String config, String template, String where, String what) {
    return new Case(name, dir -> {
      write(dir, "config.yaml", config);
      write(dir, "images/app/Dockerfile.template", template);
      write(dir, "images/app/changelog", "app" + CHANGELOG);
    }, List.of("build", "{dir}/images", "--config", "{dir}/config.yaml"), 1,
        where.startsWith("config") ? "{dir}/" + where : "{dir}/images/app/" + where, what, false);
  }

  private static Case usage(String name, List<String> args, String where, String what) {
    return new Case(name, dir -> write(dir, "image.yaml", "base: scratch\n"), args, ExitCodes.USAGE, where, what, false);
  }

  private static Case importing(String name, Setup tarball, String where, String what) {
    return new Case(name, tarball, List.of("import", "{dir}/in.tar", "--as", "imported:1", "--no-snapshot"), 1,
        "{dir}/" + where, what, false);
  }

  static void write(Path dir, String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  /** A tar with the symlinks first, then the files (in name order). */
  static void tar(Path file, Map<String, String> files, Map<String, String> symlinks) throws IOException {
    try (OutputStream raw = Files.newOutputStream(file); TarArchiveOutputStream out = new TarArchiveOutputStream(raw)) {
      for (var link : new TreeMap<>(symlinks).entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(link.getKey(), TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(link.getValue());
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
      }
      for (var regular : new TreeMap<>(files).entrySet()) {
        byte[] bytes = regular.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(regular.getKey());
        entry.setSize(bytes.length);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
      }
      out.finish();
    }
  }
}
