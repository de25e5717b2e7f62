package dev.berth.fleet;

import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import dev.berth.text.ErrorText;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a run's claims in force while their builds last: every third of the lease, each claim still
 * held is written again with a new expiry, so a build longer than the lease is not taken over by
 * another run. A run killed stops renewing, and its claims expire one lease later.
 */
final class ClaimRenewal implements AutoCloseable {
  private record Held(String image, String keyTag) {}

  private final KeyClaims claims;
  private final BuildListener log;
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "berth-claim-renewal");
    thread.setDaemon(true);
    return thread;
  });

  ClaimRenewal(KeyClaims claims, BuildListener log) {
    this.claims = claims;
    this.log = log;
    long period = period(claims.lease()).toMillis();
    timer.scheduleWithFixedDelay(this::renewAll, period, period, TimeUnit.MILLISECONDS);
  }

  /** Period of renewal for a lease: a third of it, so two renewals may fail before it lapses. */
  static Duration period(Duration lease) {
    return Duration.ofMillis(Math.max(100, lease.toMillis() / 3));
  }

  void hold(String image, String keyTag) {
    held.add(new Held(image, keyTag));
  }

  void drop(String image, String keyTag) {
    held.remove(new Held(image, keyTag));
  }

  private void renewAll() {
    for (Held claim : held) {
      try {
        if (held.contains(claim)) {
          claims.claim(claim.image(), claim.keyTag());
          log.on(new BuildEvent.ClaimRenewed(claim.image(), claim.keyTag()));
        }
      } catch (IOException | RuntimeException e) {
        log.on(new BuildEvent.Warning(claim.image(), "the claim could not be renewed: " + ErrorText.of(e)));
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
