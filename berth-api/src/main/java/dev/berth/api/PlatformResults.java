package dev.berth.api;

import dev.berth.api.tree.MultiPlatformRun;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.Digest;
import dev.berth.plan.TreeBuild;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A multi-platform run as one result per image: an image built for several platforms is its index
 * (key, digest and references of the index; a failed platform's cause), any other its one child.
 */
final class PlatformResults {
  private PlatformResults() {}

  static RunResult of(TreeScanner.Tree tree, MultiPlatformRun.Result run) {
    List<ImageResult> out = new ArrayList<>();
    for (String name : tree.graph().order()) {
      Optional<MultiPlatformRun.IndexResult> index = run.indexes().stream()
          .filter(each -> each.name().equals(name)).findFirst();
      List<TreeBuild.Result> children = run.platforms().stream()
          .flatMap(part -> part.images().stream().filter(image -> image.name().equals(name))).toList();
      if (children.isEmpty()) {
        continue;
      }
      TreeBuild.Result first = children.stream().filter(child -> child.state().isFailure()).findFirst()
          .orElse(children.get(0));
      if (index.isEmpty() || first.state().isFailure()) {
        out.add(new ImageResult(name, first.state(), first.key(), null, first.reason(), first.cause(),
            first.references(), first.dependsOn(), null, null));
        continue;
      }
      MultiPlatformRun.IndexResult made = index.get();
      out.add(new ImageResult(name, made.state(), made.key(), made.digest() == null ? null : Digest.parse(made.digest()),
          first.reason(), made.cause(), made.references(), first.dependsOn(), null, null));
    }
    return new RunResult(out);
  }
}
