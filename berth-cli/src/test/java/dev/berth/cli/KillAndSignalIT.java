package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * berth stopped during a 10-second RUN step: by kill -9 (the sentinel, and else the next run, clean
 * up), by Ctrl-C (SIGINT) and by SIGTERM. The step sleeps only while a flag file is in its cache
 * mount, so the resumed build is quick; the marker it writes after the sleep must never appear.
 */
@Tag("integration")
@Tag("runc")
class KillAndSignalIT {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir static Path work;
  static Path baseStore;
  static Path tree;

  @BeforeAll
  static void baseAndTree() throws Exception {
    baseStore = work.resolve("base-store");
    String busybox = Berth.tool(REPO, REPO.resolve("examples/make-busybox-rootfs").toString()).strip();
    new Berth(baseStore).run("import", busybox, "--as", "test/busybox:1").succeeded();
    Path folder = Files.createDirectories(work.resolve("tree/slow"));
    Files.writeString(folder.resolve("image.yaml"), """
        base: test/busybox:1
        cache: [/cache]
        run:
          - if [ -f /cache/slow ]; then sleep 10; touch /cache/marker; fi; echo done > /done
        """);
    tree = folder.getParent();
  }

  /** A copy of the base store whose step will be slow. */
  static Path slowStore(String name) throws Exception {
    Path store = work.resolve(name);
    Berth.tool(work, "cp", "-a", baseStore.toString(), store.toString());
    Files.createDirectories(cache(store));
    Files.writeString(cache(store).resolve("slow"), "");
    Berth.tool(work, "rm", "-rf", tree.resolve(".berth").toString());
    return store;
  }

  static Path cache(Path store) {
    return store.resolve("berth-cache-mounts/slow/cache");
  }

  @Test
  void killNineDuringARunStepLeavesNothingOnceTheNextBuildStarts() throws Exception {
    Path store = slowStore("killed");
    Berth berth = new Berth(store);

    // kill -9 of berth alone: its sentinel kills the step and releases the mount at once
    Process first = berth.start("build", tree.toString());
    Leftovers.awaitContainer(store, first);
    first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (System.nanoTime() < deadline && !(Leftovers.containers(store).isEmpty() && Leftovers.mounts(store).isEmpty())) {
      Thread.sleep(50);
    }
    assertThat(Leftovers.containers(store)).as("containers after kill -9").isEmpty();
    assertThat(Leftovers.mounts(store)).as("mounts after kill -9").isEmpty();

    // kill -9 of berth and its sentinel together: the next build's reaper must clean up
    Process second = berth.start("build", tree.toString());
    Leftovers.awaitContainer(store, second);
    long stepRunning = System.nanoTime();
    List<ProcessHandle> sentinels = second.descendants()
        .filter(child -> child.info().commandLine().orElse("").contains("berth-sentinel")).toList();
    assertThat(sentinels).as("berth's sentinel").hasSize(1);
    second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    sentinels.forEach(ProcessHandle::destroyForcibly);
    assertThat(Leftovers.containers(store)).as("the step still runs: nothing stopped it").hasSize(1);
    assertThat(Leftovers.mounts(store)).isNotEmpty();
    assertThat(Leftovers.runDirectories(store)).anyMatch(name -> name.startsWith(second.pid() + "-"));

    Files.delete(cache(store).resolve("slow"));
    Berth.Result resumed = berth.run("build", tree.toString()).succeeded();
    assertThat(resumed.stdout()).contains("verified   slow:");
    assertThat(Leftovers.containers(store)).as("containers").isEmpty();
    assertThat(Leftovers.mounts(store)).as("mounts").isEmpty();
    assertThat(Leftovers.runDirectories(store)).as("run directories").isEmpty();
    assertThat(Leftovers.temporaryFiles(store)).as("temporary files").isEmpty();
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");

    long untilMarkerWouldBeThere = stepRunning + TimeUnit.MILLISECONDS.toNanos(10_500) - System.nanoTime();
    Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(untilMarkerWouldBeThere)));
    assertThat(cache(store).resolve("marker")).as("the killed step went on running").doesNotExist();
  }

  @Test
  void ctrlCAndSigtermStopARunStepWithin2Seconds() throws Exception {
    Path store = slowStore("signalled");
    Berth berth = new Berth(store);
    for (String signal : List.of("INT", "TERM")) {
      Process build = berth.start("build", tree.toString());
      Leftovers.awaitContainer(store, build);
      long sent = System.nanoTime();
      Berth.tool(work, "kill", "-" + signal, Long.toString(build.pid()));
      assertThat(build.waitFor(2, TimeUnit.SECONDS)).as("berth ended within 2 s of SIG" + signal).isTrue();
      System.out.printf("SIG%s: berth exited %d after %d ms%n", signal, build.exitValue(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent));
      assertThat(build.exitValue()).isEqualTo(signal.equals("INT") ? 130 : 143);
      assertThat(Leftovers.containers(store)).as("containers").isEmpty();
      assertThat(Leftovers.mounts(store)).as("mounts").isEmpty();
      assertThat(Leftovers.runDirectories(store)).as("run directories").isEmpty();
      assertThat(Leftovers.temporaryFiles(store)).as("temporary files").isEmpty();
      assertThat(berth.run("status", tree.toString()).succeeded().stdout()).containsPattern("interrupted +slow ");
    }
    Files.delete(cache(store).resolve("slow"));
    assertThat(berth.run("build", tree.toString()).succeeded().stdout()).contains("verified   slow:");
    assertThat(berth.run("store", "fsck").succeeded().stdout()).contains("all intact");
    assertThat(cache(store).resolve("marker")).doesNotExist();
  }
}
