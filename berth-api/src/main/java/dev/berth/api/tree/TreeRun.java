package dev.berth.api.tree;

import dev.berth.api.publish.Publishing;
import dev.berth.api.verify.TestScripts;
import dev.berth.api.verify.Verifiers;
import dev.berth.engine.BuildException;
import dev.berth.engine.KeyedBuild;
import dev.berth.engine.docker.DockerEngine;
import dev.berth.event.BuildEvent;
import dev.berth.event.BuildListener;
import dev.berth.oci.Descriptor;
import dev.berth.plan.Affected;
import dev.berth.plan.AffectedRun;
import dev.berth.plan.ImageState;
import dev.berth.plan.Plan;
import dev.berth.plan.Planner;
import dev.berth.plan.TreeBuild;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One run over a session's tree: plan it (keys already in the registry count as present when
 * publishing), refuse what cannot be built, then build, verify and publish in dependency order.
 */
public final class TreeRun {
  private final Session session;
  private final Optional<Publishing> publishing;
  private final BuildListener listener;
  private int jobs = Runtime.getRuntime().availableProcessors();
  private boolean debug;
  private Optional<Affected.Query> affected = Optional.empty();

  /** @param publishing where verified images are pushed; empty: nothing is published */
  public TreeRun(Session session, Optional<Publishing> publishing, BuildListener listener) {
    this.session = session;
    this.publishing = publishing.map(target -> target.reporting(listener));
    this.listener = listener;
  }

  /** At most {@code value} images at once. */
  public TreeRun jobs(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, not " + value);
    }
    this.jobs = value;
    return this;
  }

  /** With debugging, each failure's stack trace is reported as a {@link BuildEvent.Trace}. */
  public TreeRun debugging(boolean enabled) {
    this.debug = enabled;
    return this;
  }

  /**
   * Only the images whose SBOM holds {@code query}'s package, and every image built on them; they are
   * rebuilt with their package steps run afresh. Empty: the whole selection, as usual.
   */
  public TreeRun affectedBy(Optional<Affected.Query> query) {
    this.affected = query;
    return this;
  }

  /** What the run would do: the selection and what it needs, each with its key, action and reason. */
  /**
   * With {@link #affectedBy}, the plan resumes the query's unfinished run: the images it already took
   * to their last state (published when publishing, else verified) are not rebuilt again.
   */
  public Plan plan(boolean force) throws IOException {
    Planner.RemoteCheck remote = publishing.map(Publishing::remoteCheck).orElse(Planner.RemoteCheck.NONE);
    if (affected.isEmpty()) {
      return session.plan(force, remote);
    }
    Optional<AffectedRun> unfinished = AffectedRun.unfinished(session.tree.root(), affected.get());
    java.util.Set<String> done = unfinished.isEmpty() ? java.util.Set.of()
        : unfinished.get().done(session.journal, publishing.isPresent() ? ImageState.PUBLISHED : ImageState.VERIFIED);
    return Affected.plan(new Planner(session.build, session.journal, remote), session.store, session.tree.graph(),
        session.selection, affected.get(), done);
  }

  /**
   * Plans and runs {@code phase} with test.sh run as docker-pkg runs it by default. An
   * {@link #affectedBy} run is recorded until it has done every image, so that the same command
   * resumes it after a failure or a kill.
   */
  public TreeBuild.RunResult run(TreeBuild.Phase phase, boolean force) throws IOException {
    boolean fresh = force || affected.isPresent();
    Optional<AffectedRun> affectedRun = affected.isEmpty() ? Optional.empty()
        : Optional.of(AffectedRun.begin(session.tree.root(), affected.get(), java.time.Instant.now()));
    TreeBuild.RunResult result = run(plan(force), phase, fresh, Verifiers.runc(session.store, session.run, listener));
    if (affectedRun.isPresent() && result.succeeded()) {
      affectedRun.get().finish();
    }
    return result;
  }

  /**
   * Runs {@code plan}; an image that could not even be planned stops everything first (see
   * {@link #refuseInvalid}).
   */
  public TreeBuild.RunResult run(Plan plan, TreeBuild.Phase phase, boolean force, TreeBuild.Verifier verifier) {
    refuseInvalid(plan);
    TreeBuild run = new TreeBuild(session.build, session.journal, jobs, verifier,
        publishing.map(Publishing::publisher).orElse(null), listener)
        .debugging(debug)
        .fetching(publishing.map(Publishing::fetcher).orElse(TreeBuild.Fetcher.NONE))
        .phase(phase);
    return run.run(plan, force);
  }

  /**
   * Plans and runs the whole pipeline on {@code fleet}'s Docker engines, with the registry as the shared
   * store: each image is built, checked and pushed by a worker once its parent's key tag is published.
   */
  public TreeBuild.RunResult runOnFleet(dev.berth.fleet.Fleet fleet, boolean force) throws IOException {
    Plan plan = plan(force);
    refuseInvalid(plan);
    Publishing target = publishing.orElseThrow(() -> new IllegalStateException("a fleet run publishes: give a registry"));
    return new dev.berth.fleet.FleetBuild(fleet, target.fleetRegistry(), session.store, session.settings,
        session.build, session.journal, session.tree.root(), listener).run(plan);
  }

  /**
   * Images that could not even be planned (a missing or hostile input, an unusable base): nothing is
   * built, pulled or pushed, the journal records why, and the run stops with the first of them.
   */
  public void refuseInvalid(Plan plan) {
    List<Plan.Item> invalid = plan.images().stream().filter(item -> item.action() == Plan.Action.FAILED).toList();
    if (invalid.isEmpty()) {
      return;
    }
    for (Plan.Item item : invalid) {
      session.journal.transition(item.name(), ImageState.FAILED, item.key(), null, item.reason());
    }
    Plan.Item first = invalid.get(0);
    throw new BuildException(first.name() + ": " + first.reason() + (invalid.size() == 1 ? ""
        : " (and " + (invalid.size() - 1) + " more image" + (invalid.size() == 2 ? "" : "s") + " cannot be built)"));
  }

  /** Loads the images of {@code result} named in {@code names} that did not fail into the Docker engine. */
  public void load(TreeBuild.RunResult result, List<String> names) throws IOException {
    DockerEngine engine = DockerEngine.fromEnvironment(System.getenv());
    if (!engine.available()) {
      throw new IllegalStateException("--load: no Docker engine answers at " + engine.address());
    }
    for (TreeBuild.Result image : result.images()) {
      if (image.state().isFailure() || !names.contains(image.name())) {
        continue;
      }
      Descriptor manifest = session.store.resolve(image.name() + ":" + image.key()).orElseThrow().withoutAnnotations();
      List<String> tags = new ArrayList<>();
      tags.add(image.name() + ":" + image.key());
      for (String reference : image.references() == null ? List.<String>of() : image.references()) {
        if (!reference.contains("@") && !tags.contains(reference)) {
          tags.add(reference);
        }
      }
      var outcome = new KeyedBuild.Outcome(null, null, manifest, tags, false, null);
      listener.on(new BuildEvent.Loaded(image.name(), TestScripts.load(session.store, outcome, engine)));
    }
  }
}
