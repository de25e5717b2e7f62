package dev.berth.maven;

import dev.berth.api.Berth;
import dev.berth.api.ImageSpec;
import dev.berth.api.RunResult;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.ResolutionScope;

/** {@code berth:build}: the project's image into berth's store (nothing is built when its key is there). */
@Mojo(name = "build", defaultPhase = LifecyclePhase.PACKAGE, requiresDependencyResolution = ResolutionScope.RUNTIME,
    threadSafe = true)
public final class BuildMojo extends ImageMojo {
  @Override
  RunResult run(Berth berth, ImageSpec spec) throws IOException {
    return berth.build(spec);
  }
}
