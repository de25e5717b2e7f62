package dev.berth.maven;

import dev.berth.api.Berth;
import dev.berth.api.ImageResult;
import dev.berth.api.ImageSpec;
import dev.berth.api.RunResult;
import dev.berth.event.BuildEvent;
import dev.berth.plan.Plan;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What the goals share: the image the pom declares (a base, optional apt packages, the project's
 * dependencies and classes in separate layers as Jib lays them out, a Java entrypoint), built with
 * berth's Java API into berth's store.
 */
abstract class ImageMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /** The base image: a reference berth can find or pull, or an image of {@link #tree}. */
  @Parameter(property = "berth.from", required = true)
  String from;

  /** The image's name (OCI repository grammar). */
  @Parameter(property = "berth.image", defaultValue = "${project.artifactId}")
  String image;

  /** The class whose main method the image runs. */
  @Parameter(property = "berth.mainClass", required = true)
  String mainClass;

  /** Debian packages installed on the base first (e.g. a JRE). */
  @Parameter
  List<String> aptPackages = new ArrayList<>();

  /** Commands run inside the built image; all must exit 0 (their output is logged). */
  @Parameter
  List<String> verify = new ArrayList<>();

  /** Extra arguments for java, before the main class. */
  @Parameter
  List<String> jvmFlags = new ArrayList<>();

  /** A tree of image folders built first; {@link #from} may name one of its images. */
  @Parameter(property = "berth.tree")
  File tree;

  /** berth's content store (default: $BERTH_STORE, else ~/.cache/berth/store, as the CLI). */
  @Parameter(property = "berth.store")
  File store;

  /** Where {@code publish} pushes: HOST[:PORT][/NAMESPACE]. */
  @Parameter(property = "berth.registry")
  String registry;

  @Parameter(defaultValue = "${project.build.directory}/berth-context", readonly = true)
  File context;

  /** Runs the goal's work with {@code berth} on {@code spec}. */
  abstract RunResult run(Berth berth, ImageSpec spec) throws IOException;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    try (Berth berth = open()) {
      String base = from;
      if (tree != null) {
        base = treeBase(berth);
      }
      ImageSpec spec = JavaLayers.stage(project, context.toPath()).spec(image, base, mainClass, jvmFlags, aptPackages,
          verify);
      RunResult result = run(berth, spec);
      for (ImageResult each : result.images()) {
        if (each.failed()) {
          getLog().error(each.name() + ": " + each.state().label() + ": " + each.cause());
        } else {
          getLog().info(each.name() + " " + each.key() + " " + each.digest() + " " + each.state().label());
        }
      }
      if (!result.succeeded()) {
        throw new MojoFailureException("berth: the image " + image + " was not built (see above)");
      }
    } catch (IOException | RuntimeException e) {
      throw new MojoExecutionException("berth: " + e.getMessage(), e);
    }
  }

  private Berth open() throws IOException {
    Berth berth = store != null ? Berth.store(store.toPath()) : Berth.defaultStore();
    berth = berth.listener(this::log);
    return registry != null ? berth.registry(registry) : berth;
  }

  /** Builds {@link #tree}; when {@link #from} names one of its images, the base is that image's key in the store. */
  private String treeBase(Berth berth) throws IOException, MojoFailureException {
    RunResult built = berth.tree(tree.toPath()).build();
    if (!built.succeeded()) {
      throw new MojoFailureException("berth: the tree " + tree + " did not build");
    }
    return built.images().stream().anyMatch(each -> each.name().equals(from))
        ? from + ":" + built.image(from).key()  // its index when it was built for several platforms
        : from;
  }

  private void log(BuildEvent event) {
    if (event instanceof BuildEvent.Planned planned && planned.action().equals(Plan.Action.BUILD.label())) {
      getLog().info(event.image() + ": to build (" + planned.reason() + ")");
    } else if (event instanceof BuildEvent.Output) {
      getLog().info(event.image() + " | " + event.message());
    } else if (event instanceof BuildEvent.Warning) {
      getLog().warn(event.message());
    } else if (!(event instanceof BuildEvent.Planned)) {
      getLog().info(event.image() + ": " + event.message());
    }
  }
}
