package dev.berth.maven;

import dev.berth.api.Berth;
import dev.berth.api.ImageSpec;
import dev.berth.api.RunResult;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code berth:publish}: as build, then the verified image is pushed to {@code registry} under its key. */
@Mojo(name = "publish", defaultPhase = LifecyclePhase.DEPLOY, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class PublishMojo extends ImageMojo {
  @Override
  RunResult run(Berth berth, ImageSpec spec) throws IOException {
    if (registry == null) {
      throw new IllegalArgumentException("publish needs <registry> (HOST[:PORT][/NAMESPACE]) or -Dberth.registry");
    }
    return berth.publish(spec);
  }
}
