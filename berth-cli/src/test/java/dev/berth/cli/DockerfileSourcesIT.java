package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources that are not files of the context, against a loopback HTTP server this test starts: ADD
 * of URLs (moby's TestBuildAddRemoteFileWithAndWithoutCache and TestBuildAddRemoteFileMTime,
 * BuildKit's testDockerfileADDFromURL, testAddURLChmod and testAddChecksum), COPY here-documents
 * (BuildKit's testCopyHeredoc), and RUN --network=none (BuildKit's testRunNoNetwork: the step
 * reaches nothing outside its own namespace, here a server on the host's loopback).
 */
@Tag("integration")
@Tag("umoci")
@Tag("runc")
@Tag("git")
class DockerfileSourcesIT {
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  @TempDir static Path work;
  static Berth berth;
  static HttpServer server;
  static String url;
  /** Path → {headers..., body}; changed by tests to move what the server answers. */
  static final Map<String, Response> answers = new ConcurrentHashMap<>();

  record Response(byte[] body, Map<String, String> headers) {
    Response(String body) {
      this(body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    berth = new Berth(work.resolve("store"));
    String rootfs = Berth.tool(work, EXAMPLES.resolve("make-busybox-rootfs").toString()).strip();
    berth.run("import", rootfs, "--as", "busybox:latest").succeeded();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/git/", exchange -> {  // git's dumb HTTP: the files of bare repositories
      Path file = work.resolve("git").resolve(exchange.getRequestURI().getPath().substring("/git/".length())).normalize();
      if (!file.startsWith(work.resolve("git")) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.createContext("/", exchange -> {
      Response response = answers.get(exchange.getRequestURI().getPath());
      if (response == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(200, response.body().length);
        exchange.getResponseBody().write(response.body());
      }
      exchange.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
    answers.put("/files/hello.txt", new Response("hello\n".getBytes(StandardCharsets.UTF_8),
        Map.of("Last-Modified", "Tue, 15 Nov 1994 08:12:31 GMT")));
    answers.put("/download/", new Response("named\n".getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Disposition", "attachment; filename=\"named.txt\"")));
    answers.put("/", new Response("nameless\n"));
    Path tarred = Files.createDirectories(work.resolve("tarred"));
    Files.writeString(tarred.resolve("inside"), "inside\n");
    Berth.tool(work, "tar", "czf", work.resolve("archive.tar.gz").toString(), "-C", tarred.toString(), "inside");
    answers.put("/archive.tar.gz", new Response(Files.readAllBytes(work.resolve("archive.tar.gz")), Map.of()));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static String sha256(String text) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static Path tree(String name, String dockerfile) throws Exception {
    Path folder = Files.createDirectories(work.resolve(name).resolve(name));
    Files.writeString(folder.resolve("Dockerfile"), dockerfile);
    return folder.getParent();
  }

  private static Map<String, String> files(String image) throws Exception {
    return CorpusImages.fromStore(work.resolve("store")).get(image).files();
  }

  private static String fileOf(String text, String modeAndOwner) throws Exception {
    return "file " + sha256(text).substring("sha256:".length()) + " " + modeAndOwner;
  }

  @Test
  void addOfUrlsAndHereDocumentsWriteFilesAsBuildKitDoes() throws Exception {
    Path tree = tree("sources", """
        FROM busybox
        ADD %1$s/files/hello.txt /dest/
        ADD %1$s/files/hello.txt /renamed
        ADD %1$s/download/ /disposition/
        ADD %1$s/ /unnamed/
        ADD %1$s/archive.tar.gz /archives/
        ADD --chown=1:2 --chmod=644 %1$s/files/hello.txt /owned
        ADD --checksum=%2$s %1$s/files/hello.txt /checked
        COPY --chmod=755 <<'EOF' /script.sh
        echo $HOME
        EOF
        COPY <<EOF <<-EOF2 /docs/
        home=${HOME:-none}
        EOF
        \tindented
        \tEOF2
        RUN wget -q -O /fetched %1$s/files/hello.txt
        RUN --network=none sh -c 'if wget -q -T 3 -O - %1$s/files/hello.txt; then touch /reached; else touch /unreachable; fi'
        """.formatted(url, sha256("hello\n")).replace("\\t", "\t"));
    berth.run("build", tree.toString()).succeeded();
    Map<String, String> files = files("sources");
    assertThat(files).containsEntry("/dest/hello.txt", fileOf("hello\n", "600 0:0"))
        .containsEntry("/dest", "dir 755 0:0")
        .containsEntry("/renamed", fileOf("hello\n", "600 0:0"))
        .containsEntry("/disposition/named.txt", fileOf("named\n", "600 0:0"))
        .containsEntry("/unnamed/__unnamed__", fileOf("nameless\n", "600 0:0"))
        .containsEntry("/owned", fileOf("hello\n", "644 1:2"))
        .containsEntry("/checked", fileOf("hello\n", "600 0:0"))
        .containsEntry("/script.sh", fileOf("echo $HOME\n", "755 0:0"))
        .containsEntry("/docs/EOF", fileOf("home=none\n", "644 0:0"))
        .containsEntry("/docs/EOF2", fileOf("indented\n", "644 0:0"))
        .containsEntry("/fetched", fileOf("hello\n", "644 0:0"))
        .containsKey("/unreachable").doesNotContainKey("/reached");
    // a remote archive is never extracted
    assertThat(files.get("/archives/archive.tar.gz")).isEqualTo("file " + HexFormat.of().formatHex(MessageDigest
        .getInstance("SHA-256").digest(answers.get("/archive.tar.gz").body())) + " 600 0:0");
    assertThat(files).doesNotContainKey("/archives/inside");
  }

  @Test
  void aDownloadIsKeyedByItsContent() throws Exception {
    answers.put("/moving", new Response("first\n"));
    Path tree = tree("moving", "FROM busybox\nADD %s/moving /moving\n".formatted(url));
    berth.run("build", tree.toString()).succeeded();
    assertThat(action(tree)).isEqualTo("cached");
    answers.put("/moving", new Response("second\n"));
    assertThat(action(tree)).isEqualTo("build");
    Path out = work.resolve("moving-out");
    berth.run("build", tree.toString(), "--output", "oci:" + out + ":m").succeeded();
    Berth.tool(work, "umoci", "unpack", "--image", out + ":m", work.resolve("moving-bundle").toString());
    Path moved = work.resolve("moving-bundle/rootfs/moving");
    assertThat(moved).hasContent("second");
    assertThat(java.nio.file.Files.getPosixFilePermissions(moved))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  private static String action(Path tree) throws Exception {
    String plan = berth.run("plan", tree.toString(), "--output", "json").succeeded().stdout();
    return dev.berth.oci.Json.tree(plan.getBytes(StandardCharsets.UTF_8)).get("images").get(0).get("action").asText();
  }

  @Test
  void aWrongChecksumIsRefusedWithItsLineAndNothingIsStored() throws Exception {
    Path tree = tree("wrong", "FROM busybox\nRUN true\nADD --checksum=%s %s/files/hello.txt /x\n"
        .formatted(sha256("something else"), url));
    String before = Files.readString(work.resolve("store/index.json"));
    Berth.Result result = berth.run("build", tree.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr().lines().filter(line -> line.startsWith("berth: error")).toList()).singleElement()
        .asString().contains("Dockerfile:3: ADD " + url + "/files/hello.txt: the content does not match --checksum");
    assertThat(Files.readString(work.resolve("store/index.json"))).isEqualTo(before);
  }

  @Test
  void aMissingUrlIsRefusedWithItsLine() throws Exception {
    Path tree = tree("missing", "FROM busybox\nADD %s/nowhere /x\n".formatted(url));
    Berth.Result result = berth.run("build", tree.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("Dockerfile:2: ADD " + url + "/nowhere: the server answered HTTP 404");
  }

  /**
   * BuildKit's testMountContext, testMountTmpfs and testMountTmpfsSize: a bind shows the context
   * (after .dockerignore), rw writes are thrown away, a tmpfs has its size, and no mount point is
   * left in the image; what a bind shows is part of the key.
   */
  @Test
  void runMountsShowTheContextAndLeaveNothingBehind() throws Exception {
    Path tree = tree("mounts", """
        FROM busybox
        RUN --mount=target=/context [ "$(cat /context/testfile)" = "contents0" ] && [ ! -e /context/ignored ]
        RUN --mount=type=bind,source=data,target=/in,rw touch /in/written && ls /in > /listing
        RUN --mount=type=tmpfs,target=/mytmp,size=1m touch /mytmp/foo && grep ' /mytmp ' /proc/mounts > /tmpfs
        RUN [ ! -f /mytmp/foo ]
        """);
    Path folder = tree.resolve("mounts");
    Files.writeString(folder.resolve("testfile"), "contents0");
    Files.writeString(folder.resolve("ignored"), "not for steps");
    Files.writeString(folder.resolve(".dockerignore"), "ignored\n");
    Files.createDirectories(folder.resolve("data"));
    Files.writeString(folder.resolve("data/in.txt"), "in\n");
    berth.run("build", tree.toString()).succeeded();
    Map<String, String> files = files("mounts");
    assertThat(files).containsEntry("/listing", fileOf("in.txt\nwritten\n", "644 0:0"))
        .doesNotContainKeys("/context", "/in", "/mytmp");
    assertThat(folder.resolve("data/written")).doesNotExist();
    Path out = work.resolve("mounts-out");
    berth.run("build", tree.toString(), "--output", "oci:" + out + ":m").succeeded();
    Berth.tool(work, "umoci", "unpack", "--image", out + ":m", work.resolve("mounts-bundle").toString());
    assertThat(Files.readString(work.resolve("mounts-bundle/rootfs/tmpfs"))).contains("tmpfs", "size=1024k");
    assertThat(action(tree)).isEqualTo("cached");
    Files.writeString(folder.resolve("data/in.txt"), "changed\n");
    assertThat(action(tree)).isEqualTo("build");
  }

  /**
   * BuildKit's testMountRWCache (a bind from another stage, rw, writes thrown away) and
   * testMountFromError (from= takes no variables), plus a bind from an outside image: the stage is
   * built first, nothing mounted reaches the layer, and the step is keyed by what the mount shows.
   */
  @Test
  void runMountsFromAStageOrAnImageShowTheirFiles() throws Exception {
    Path tree = tree("mountfrom", """
        FROM busybox AS build
        COPY cachebust /
        RUN mkdir /out && echo foo > /out/foo

        FROM busybox
        RUN --mount=from=build,src=out,target=/out,rw touch /out/bar && ls /out > /listing
        RUN --mount=type=bind,from=busybox:latest,source=/bin,target=/b ls /b/busybox > /fromimage
        RUN --mount=from=build,source=/out/foo,target=/etc/foo cat /etc/foo > /copied
        RUN [ ! -e /out/bar ]
        """);
    Path folder = tree.resolve("mountfrom");
    Files.writeString(folder.resolve("cachebust"), "0");
    berth.run("build", tree.toString()).succeeded();
    Map<String, String> files = files("mountfrom");
    assertThat(files).containsEntry("/listing", fileOf("bar\nfoo\n", "644 0:0"))
        .containsEntry("/fromimage", fileOf("/b/busybox\n", "644 0:0"))
        .containsEntry("/copied", fileOf("foo\n", "644 0:0"))
        .doesNotContainKeys("/out", "/b", "/etc/foo", "/cachebust");
    assertThat(action(tree)).isEqualTo("cached");
    Files.writeString(folder.resolve("cachebust"), "1");  // the stage the mounts show changes
    assertThat(action(tree)).isEqualTo("build");

    Path variable = tree("mountvar", "FROM busybox AS test\nRUN touch /tmp/test\n\nFROM busybox\nENV ttt=test\n"
        + "RUN --mount=from=$ttt,target=/tmp ls\n");
    Berth.Result result = berth.run("build", variable.toString());
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stderr()).contains("Dockerfile:6:", "'from' doesn't take variables");
  }

  /** BuildKit's testCopyParents and testExcludedFilesOnCopy, built: the files where BuildKit puts them. */
  @Test
  void parentsAndExcludesCopyWhatBuildKitCopies() throws Exception {
    Path tree = tree("flags", """
        FROM busybox
        COPY --parents foo1/foo2/bar /
        WORKDIR /test
        COPY --parents foo1/foo2/ba* .
        COPY --exclude=*/*.png --exclude=*/*.jpeg dirs /1
        ADD --exclude=*.mp3 dirs/dir3/ /3/
        """);
    Path folder = tree.resolve("flags");
    for (String file : new String[] {"foo1/foo2/bar", "foo1/foo2/baz", "dirs/dir1/file-101.png",
        "dirs/dir1/file-102.txt", "dirs/dir1/file-103.jpeg", "dirs/dir3/file-301.mp3", "dirs/dir3/file-302.mpeg"}) {
      Files.createDirectories(folder.resolve(file).getParent());
      Files.writeString(folder.resolve(file), file);
    }
    berth.run("build", tree.toString()).succeeded();
    assertThat(files("flags")).containsKeys("/foo1/foo2/bar", "/test/foo1/foo2/bar", "/test/foo1/foo2/baz",
        "/1/dir1/file-102.txt", "/1/dir3/file-301.mp3", "/3/file-302.mpeg")
        .doesNotContainKeys("/foo1/foo2/baz", "/1/dir1/file-101.png", "/1/dir1/file-103.jpeg", "/3/file-301.mp3");
  }

  /**
   * BuildKit's testCopyRelativeParents (COPY --from=STAGE --parents: pivots, trailing /., leading ./,
   * wildcards, **) and testExcludedFilesOnCopy's copies from a stage (--exclude): built in one image.
   */
  @Test
  void parentsAndExcludesCopyFromAStageWhatBuildKitCopies() throws Exception {
    Path tree = tree("fromflags", """
        FROM busybox AS base
        WORKDIR /test
        RUN mkdir -p a/b/c/d/e a/b2/c/d/e a/b/c2/d/e a/b/c2/d/e2 && touch a/b/c/d/foo a/b/c/d/e/bay \\
            a/b2/c/d/e/bar a/b/c2/d/e/baz a/b/c2/d/e2/baz
        RUN mkdir -p /src/dir1 /src/dir3 && touch /src/dir1/file-101.png /src/dir1/file-102.txt \\
            /src/dir1/file-103.jpeg /src/dir3/file-301.mp3 /src/dir3/file-302.mpeg

        FROM busybox
        COPY --from=base --parents /test/a/b/./c/d /middle/
        COPY --from=base --parents /test/a/b/c/d/. /end/
        COPY --from=base --parents ./test/a/b/c/d /start/
        COPY --from=base --parents /test/a/./b/./c /double/
        COPY --from=base --parents /test/a/./*/c /wildcard/
        COPY --from=base --parents /test/a/b*/./c/**/e /doublewildcard/
        COPY --from=base --parents /test/a/b/c*/./d/**/baz /test/a/b*/./c/**/bar /doubleinputs/
        COPY --from=base --exclude=*/*.png --exclude=*/*.jpeg /src /1
        COPY --from=base --exclude=*.mp3 /src/dir3/ /3/
        COPY --from=base --exclude=*.mp3 /src/dir3/* /4/
        """);
    berth.run("build", tree.toString()).succeeded();
    assertThat(files("fromflags")).containsKeys("/middle/c/d/e", "/middle/c/d/foo", "/end/test/a/b/c/d/e",
        "/end/test/a/b/c/d/foo", "/start/test/a/b/c/d/e", "/start/test/a/b/c/d/foo", "/double/b/c/d/e",
        "/double/b/c/d/foo", "/wildcard/b/c/d/e", "/wildcard/b2/c/d/e/bar", "/doublewildcard/c/d/e/bay",
        "/doublewildcard/c/d/e/bar", "/doubleinputs/d/e/baz", "/doubleinputs/d/e2/baz", "/doubleinputs/c/d/e/bar",
        "/1/dir1/file-102.txt", "/1/dir3/file-301.mp3", "/3/file-302.mpeg", "/4/file-302.mpeg")
        .doesNotContainKeys("/middle/a", "/middle/e", "/doubleinputs/d/e/bay", "/1/dir1/file-101.png",
            "/1/dir1/file-103.jpeg", "/3/file-301.mp3", "/4/file-301.mp3");
  }

  /**
   * BuildKit's testSSHSocketParams and the reference's RUN --mount=type=ssh, with a real ssh-agent:
   * {@code --ssh default} forwards $SSH_AUTH_SOCK to /run/buildkit/ssh_agent.0 (or target=), the
   * step lists the agent's key with the host's own ssh-add (run through its loader from a bind of the
   * context), and the socket reaches neither the layer nor the key. Without --ssh: refused with the line.
   */
  @Test
  void sshMountsForwardTheAgent() throws Exception {
    Path tree = tree("sshmount", """
        FROM busybox
        RUN --mount=type=ssh --mount=target=/tools /tools/ld.so --library-path /tools /tools/ssh-add -l > /keys \\
            && [ "$SSH_AUTH_SOCK" = /run/buildkit/ssh_agent.0 ] && [ -S /run/buildkit/ssh_agent.0 ]
        RUN --mount=type=ssh,target=/agent.sock [ "$SSH_AUTH_SOCK" = /agent.sock ] && [ -S /agent.sock ]
        """);
    Path tools = tree.resolve("sshmount");
    String ldd = Berth.tool(work, "ldd", "/usr/bin/ssh-add");
    Files.copy(Path.of("/usr/bin/ssh-add"), tools.resolve("ssh-add"));
    for (String line : ldd.lines().toList()) {
      java.util.regex.Matcher library = java.util.regex.Pattern.compile("(/\\S+)").matcher(line);
      if (library.find()) {
        Path file = Path.of(library.group(1));
        Files.copy(file, tools.resolve(file.getFileName().toString().startsWith("ld-linux") ? "ld.so"
            : file.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Path socket = work.resolve("agent.sock");
    Berth.tool(work, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "berth-test-key", "-f",
        work.resolve("id_test").toString());
    Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true)
        .redirectOutput(work.resolve("agent.log").toFile()).start();
    try {
      for (int i = 0; i < 100 && !Files.exists(socket); i++) {
        Thread.sleep(50);
      }
      ProcessBuilder add = new ProcessBuilder("ssh-add", work.resolve("id_test").toString()).redirectErrorStream(true);
      add.environment().put("SSH_AUTH_SOCK", socket.toString());
      assertThat(add.start().waitFor()).isZero();
      Berth withAgent = new Berth(work.resolve("store"), Map.of("SSH_AUTH_SOCK", socket.toString()));
      Berth.Result refused = withAgent.run("build", tree.toString());
      assertThat(refused.exitCode()).isEqualTo(1);
      assertThat(refused.stderr()).contains("Dockerfile:2:", "--ssh default");
      withAgent.run("build", tree.toString(), "--ssh", "default").succeeded();
      Map<String, String> files = files("sshmount");
      assertThat(files).containsKey("/keys").doesNotContainKeys("/run/buildkit", "/run/buildkit/ssh_agent.0",
          "/agent.sock");
      Path out = work.resolve("ssh-out");
      withAgent.run("build", tree.toString(), "--ssh", "default", "--output", "oci:" + out + ":s").succeeded();
      Berth.tool(work, "umoci", "unpack", "--image", out + ":s", work.resolve("ssh-bundle").toString());
      assertThat(Files.readString(work.resolve("ssh-bundle/rootfs/keys"))).contains("berth-test-key", "ED25519");
      // another socket path for the same agent: the same key, nothing to build
      Path moved = work.resolve("agent-link.sock");
      Files.createSymbolicLink(moved, socket);
      String plan = new Berth(work.resolve("store"), Map.of("SSH_AUTH_SOCK", moved.toString()))
          .run("plan", tree.toString(), "--ssh", "default", "--output", "json").succeeded().stdout();
      assertThat(plan).contains("\"cached\"").doesNotContain(socket.toString());
    } finally {
      agent.destroy();
      agent.waitFor();
    }
  }

  /** Runs git in {@code directory} with a fixed identity. */
  private static void git(Path directory, String... args) throws Exception {
    String[] command = new String[args.length + 5];
    command[0] = "git";
    command[1] = "-c";
    command[2] = "user.name=berth";
    command[3] = "-c";
    command[4] = "user.email=berth@example.org";
    System.arraycopy(args, 0, command, 5, args.length);
    Berth.tool(directory, command);
  }

  /**
   * BuildKit's testAddGit (dockerfile_addgit_test.go), served by git's dumb HTTP on the loopback: a
   * tag, a branch and a folder of the repository, without .git; a moved branch is a new input.
   */
  @Test
  void addOfAGitRepositoryChecksOutItsRef() throws Exception {
    Path source = Files.createDirectories(work.resolve("git-source"));
    git(source, "init", "-q", "-b", "main");
    Files.createDirectories(source.resolve("sub"));
    Files.writeString(source.resolve("README"), "one\n");
    Files.writeString(source.resolve("sub/tool.sh"), "#!/bin/sh\n");
    source.resolve("sub/tool.sh").toFile().setExecutable(true);
    git(source, "add", "-A");
    git(source, "commit", "-q", "-m", "one");
    git(source, "tag", "-a", "v1", "-m", "v1");
    Files.writeString(source.resolve("README"), "two\n");
    git(source, "commit", "-q", "-am", "two");
    Path bare = work.resolve("git/repo.git");
    Files.createDirectories(bare.getParent());
    git(work, "clone", "-q", "--bare", source.toString(), bare.toString());
    git(bare, "update-server-info");
    Path tree = tree("gitsrc", """
        FROM busybox
        ADD %1$s/git/repo.git#v1 /v1
        ADD %1$s/git/repo.git#main:sub /tools/
        ADD %1$s/git/repo.git /head
        """.formatted(url));
    berth.run("build", tree.toString()).succeeded();
    assertThat(files("gitsrc")).containsEntry("/v1/README", fileOf("one\n", "644 0:0"))
        .containsEntry("/v1/sub/tool.sh", fileOf("#!/bin/sh\n", "755 0:0"))
        .containsEntry("/tools/tool.sh", fileOf("#!/bin/sh\n", "755 0:0"))
        .containsEntry("/head/README", fileOf("two\n", "644 0:0"))
        .doesNotContainKeys("/v1/.git", "/head/.git", "/tools/README");
    assertThat(action(tree)).isEqualTo("cached");
    Files.writeString(source.resolve("README"), "three\n");
    git(source, "commit", "-q", "-am", "three");
    git(source, "push", "-q", bare.toString(), "main");
    git(bare, "update-server-info");
    assertThat(action(tree)).isEqualTo("build");
  }
}
