package dev.berth.engine;

import dev.berth.emulation.Execution;
import dev.berth.layer.LayerBlob;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.Platform;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Runs a step that executes commands in the image (apt, pip, requirements, run) and returns its layer. */
public interface StepRunner {
  /**
   * @param imageSoFar the config with every earlier step applied (env, user, workdir for the command)
   * @param layers the image's layers so far, bottom first
   * @param shell what runs shell-form commands (Dockerfile SHELL; /bin/sh -c by default)
   * @param buildArgs Dockerfile ARG values in force: environment of the command, not of the image
   * @param inputs the folder's files the step's bind mounts show (RUN --mount=type=bind)
   * @param mountImages for each image a bind mount shows (RUN --mount=from=), its name in the store, or
   *     {@code @DIGEST} of its manifest
   * @param platform the platform the image is built for: the step runs under emulation when this machine
   *     does not run it natively
   */
  record Request(ImageSpec spec, StepSpec step, String label, ImageConfig imageSoFar, List<LayerBlob> layers,
      BuildSettings settings, List<String> shell, java.util.Map<String, String> buildArgs, List<InputFile> inputs,
      java.util.Map<String, String> mountImages, Platform platform) {
    public Request {
      inputs = inputs == null ? List.of() : List.copyOf(inputs);
      mountImages = mountImages == null ? java.util.Map.of() : java.util.Map.copyOf(mountImages);
      platform = platform == null ? spec.platform() : platform;
    }

    public Request(ImageSpec spec, StepSpec step, String label, ImageConfig imageSoFar, List<LayerBlob> layers,
        BuildSettings settings, List<String> shell, java.util.Map<String, String> buildArgs, List<InputFile> inputs,
        java.util.Map<String, String> mountImages) {
      this(spec, step, label, imageSoFar, layers, settings, shell, buildArgs, inputs, mountImages, spec.platform());
    }

    public Request(ImageSpec spec, StepSpec step, String label, ImageConfig imageSoFar, List<LayerBlob> layers,
        BuildSettings settings, List<String> shell, java.util.Map<String, String> buildArgs, List<InputFile> inputs) {
      this(spec, step, label, imageSoFar, layers, settings, shell, buildArgs, inputs, java.util.Map.of());
    }

    public Request(ImageSpec spec, StepSpec step, String label, ImageConfig imageSoFar, List<LayerBlob> layers,
        BuildSettings settings, List<String> shell, java.util.Map<String, String> buildArgs) {
      this(spec, step, label, imageSoFar, layers, settings, shell, buildArgs, List.of());
    }
  }

  /** The step's layer, or empty when it changed no file; and how its command ran (natively or emulated). */
  record Result(Optional<LayerBlob> layer, Execution execution) {}

  Result run(Request request) throws IOException;

  /**
   * How this runner would run commands for {@code platform}: natively, or emulated (the handler). By
   * default, as they are: a runner that knows nothing of emulation.
   *
   * @throws dev.berth.emulation.EmulationUnavailableException when it cannot run them, saying what to install
   */
  default Execution execution(Platform platform) {
    return new Execution.Native(platform);
  }
}
