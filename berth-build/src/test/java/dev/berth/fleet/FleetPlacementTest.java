package dev.berth.fleet;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.docker.DockerEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where images go: the worker holding the parent first, then the least loaded; never a worker that is down. */
@Tag("unit")
class FleetPlacementTest {
  private static Worker worker(String name) {
    return new Worker(new WorkerAddress(name, null), new DockerEngine(Path.of("/nonexistent.sock")),
        new DockerEngine.EngineVersion("20.10", "1.41", "linux", "amd64"));
  }

  @Test
  void stickyThenLeastLoadedThenNothingWhenAllAreDown() throws Exception {
    Worker a = worker("tcp://a:1");
    Worker b = worker("tcp://b:1");
    Worker c = worker("tcp://c:1");
    List<String> log = new ArrayList<>();
    Fleet fleet = new Fleet(List.of(a, b, c), 2, event -> log.add(event.message()));
    fleet.holds(b, "sha256:parent");
    assertThat(fleet.acquire("sha256:parent")).contains(b);
    assertThat(fleet.acquire("sha256:parent")).contains(b);
    assertThat(fleet.acquire("sha256:parent")).as("b is full: the least loaded").contains(a);
    assertThat(fleet.acquire(null)).contains(c);
    fleet.release(b);
    assertThat(fleet.acquire("sha256:parent")).contains(b);
    fleet.markDown(b, "tcp://b:1: unreachable");
    fleet.release(b);
    fleet.release(b);
    assertThat(fleet.acquire("sha256:parent")).as("down: never chosen again").contains(a).isNotEqualTo(b);
    fleet.markDown(a, "gone");
    fleet.markDown(c, "gone");
    assertThat(fleet.acquire(null)).isEmpty();
    assertThat(log).containsExactly("worker tcp://b:1 is down: tcp://b:1: unreachable", "worker tcp://a:1 is down: gone",
        "worker tcp://c:1 is down: gone");
  }

  @Test
  void aWorkerDownIsProbedWithGrowingPausesAndTakesWorkOnceItAnswers() throws Exception {
    Worker a = worker("tcp://a:1");
    Worker b = worker("tcp://b:1");
    java.util.concurrent.atomic.AtomicBoolean answering = new java.util.concurrent.atomic.AtomicBoolean();
    List<Long> probes = java.util.Collections.synchronizedList(new ArrayList<>());
    List<dev.berth.event.BuildEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
    Fleet fleet = new Fleet(List.of(a, b), 1, events::add, worker -> {
      probes.add(System.nanoTime());
      return worker == b && answering.get();
    }, java.time.Duration.ofMillis(40), java.time.Clock.systemUTC(), Fleet.DEFAULT_CLAIM_LEASE);
    try {
      fleet.markDown(b, "gone");
      assertThat(fleet.acquire(null)).contains(a);
      long until = System.nanoTime() + 5_000_000_000L;
      while (probes.size() < 3 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(fleet.isDown(b)).isTrue();
      assertThat(probes).hasSizeGreaterThanOrEqualTo(3);
      // pauses of 40, then 80, then 160 ms: each at least what was asked, so they grow
      assertThat(probes.get(1) - probes.get(0)).as("second pause").isGreaterThanOrEqualTo(80_000_000L);
      assertThat(probes.get(2) - probes.get(1)).as("third pause").isGreaterThanOrEqualTo(160_000_000L);
      answering.set(true);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (fleet.isDown(b) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(fleet.isDown(b)).as("re-admitted").isFalse();
      assertThat(fleet.acquire(null)).as("a is full; b takes work again").contains(b);
      assertThat(events).filteredOn(event -> event instanceof dev.berth.event.BuildEvent.WorkerUp)
          .singleElement().satisfies(event -> assertThat(event.message()).startsWith("worker tcp://b:1 is up again"));
    } finally {
      fleet.stopProbing();
    }
  }

  @Test
  void whenEveryWorkerIsDownARunWaitsForOneToAnswerThenGivesUpAfterItsGrace() throws Exception {
    Worker a = worker("tcp://a:1");
    Worker b = worker("tcp://b:1");
    java.util.concurrent.atomic.AtomicBoolean answering = new java.util.concurrent.atomic.AtomicBoolean();
    Fleet fleet = new Fleet(List.of(a, b), 1, event -> { }, worker -> worker == a && answering.get(),
        java.time.Duration.ofMillis(20), java.time.Clock.systemUTC(), Fleet.DEFAULT_CLAIM_LEASE,
        java.time.Duration.ofSeconds(10));
    try {
      fleet.markDown(a, "gone");
      fleet.markDown(b, "gone");
      Thread answer = new Thread(() -> {
        try {
          Thread.sleep(150);
        } catch (InterruptedException e) {
          return;
        }
        answering.set(true);
      });
      answer.start();
      long started = System.nanoTime();
      assertThat(fleet.acquire(null)).as("a answered a probe while the run waited").contains(a);
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(150_000_000L);
    } finally {
      fleet.stopProbing();
    }

    Fleet never = new Fleet(List.of(a, b), 1, event -> { }, worker -> false, java.time.Duration.ofMillis(20),
        java.time.Clock.systemUTC(), Fleet.DEFAULT_CLAIM_LEASE, java.time.Duration.ofMillis(300));
    try {
      never.markDown(a, "gone");
      never.markDown(b, "gone");
      long started = System.nanoTime();
      assertThat(never.acquire(null)).isEmpty();
      assertThat(System.nanoTime() - started).as("waited its grace").isGreaterThanOrEqualTo(300_000_000L);
    } finally {
      never.stopProbing();
    }
  }

  @Test
  void workerOptionsAreRead() {
    assertThat(WorkerAddress.parse("tcp://h:2376,tls=/certs")).isEqualTo(new WorkerAddress("tcp://h:2376", Path.of("/certs")));
    assertThat(WorkerAddress.parse("unix:///run/d.sock")).isEqualTo(new WorkerAddress("unix:///run/d.sock", null));
    assertThatThrownBy(() -> WorkerAddress.parse("tcp://h:1,cert=/x")).hasMessageContaining("URL[,tls=DIR]");
  }
}
