package dev.berth.engine;

import dev.berth.layer.LayerBlob;
import dev.berth.oci.ImageConfig;
import java.util.List;

/** Mutable per-build state: the config and layers so far. Never shared between builds. */
final class BuildState {
  ImageConfig config;
  final List<LayerBlob> layers;
  List<String> shell = dev.berth.spec.Command.DEFAULT_SHELL;
  java.util.Map<String, String> buildArgs = java.util.Map.of();
  int stepIndex;
  int stepCount;
  boolean reused;  // the current step's layer came from the step cache or was written ahead
  dev.berth.emulation.Execution.Emulated emulated;  // how the current step's command runs, when emulated

  BuildState(ImageConfig config, List<LayerBlob> layers) {
    this.config = config;
    this.layers = layers;
  }

  void addLayer(LayerBlob layer, String createdBy) {
    layers.add(layer);
    config = config.withLayer(layer.diffId(), createdBy);
  }

  /** A Dockerfile path relative to the working directory so far (image.yaml only allows absolute ones). */
  String absolute(String path) {
    if (path.startsWith("/")) {
      return path;
    }
    String workdir = config.config().workingDir();
    return CopyPaths.join(workdir == null || workdir.isEmpty() ? "/" : workdir, path);
  }
}
