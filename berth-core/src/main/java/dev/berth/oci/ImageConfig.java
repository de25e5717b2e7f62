package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The image configuration blob: platform, runtime defaults, the layers' diff IDs and their history.
 * Unknown fields of configs written by other tools are ignored when read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(
    @JsonProperty("created") String created,
    @JsonProperty("author") String author,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("os") String os,
    @JsonProperty("variant") String variant,
    @JsonProperty("config") ContainerConfig config,
    @JsonProperty("rootfs") RootFs rootfs,
    @JsonProperty("history") List<History> history) {

  public ImageConfig {
    config = config == null ? ContainerConfig.EMPTY : config;
    rootfs = rootfs == null ? new RootFs("layers", List.of()) : rootfs;
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** An empty config for {@code platform}, as a build from scratch starts. */
  public static ImageConfig empty(Platform platform, String created) {
    return new ImageConfig(created, null, platform.architecture(), platform.os(), platform.variant(),
        ContainerConfig.EMPTY, new RootFs("layers", List.of()), List.of());
  }

  public Platform platform() {
    return new Platform(os == null ? "linux" : os, architecture == null ? "amd64" : architecture, variant);
  }

  public ImageConfig withConfig(ContainerConfig newConfig) {
    return new ImageConfig(created, author, architecture, os, variant, newConfig, rootfs, history);
  }

  public ImageConfig withAuthor(String newAuthor) {
    return new ImageConfig(created, newAuthor, architecture, os, variant, config, rootfs, history);
  }

  public ImageConfig withCreated(String newCreated) {
    return new ImageConfig(newCreated, author, architecture, os, variant, config, rootfs, history);
  }

  /** This config with one more layer on top, recorded in the history with {@code createdBy}. */
  public ImageConfig withLayer(Digest diffId, String createdBy) {
    List<Digest> ids = new ArrayList<>(rootfs.diffIds());
    ids.add(diffId);
    List<History> newHistory = new ArrayList<>(history);
    newHistory.add(new History(created, createdBy, null, null));
    return new ImageConfig(created, author, architecture, os, variant, config, new RootFs("layers", ids), newHistory);
  }

  /** A history entry for a change that adds no layer (ENV, USER, …). */
  public ImageConfig withEmptyLayerHistory(String createdBy) {
    List<History> newHistory = new ArrayList<>(history);
    newHistory.add(new History(created, createdBy, null, true));
    return new ImageConfig(created, author, architecture, os, variant, config, rootfs, newHistory);
  }

  public byte[] toJson() {
    return Json.canonical(this);
  }

  public static ImageConfig parse(byte[] json) {
    return Json.read(json, ImageConfig.class);
  }

  /** The runtime defaults a container of this image starts with. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ContainerConfig(
      @JsonProperty("User") String user,
      @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
      @JsonProperty("Env") List<String> env,
      @JsonProperty("Entrypoint") List<String> entrypoint,
      @JsonProperty("Cmd") List<String> cmd,
      @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
      @JsonProperty("WorkingDir") String workingDir,
      @JsonProperty("Labels") Map<String, String> labels,
      @JsonProperty("StopSignal") String stopSignal,
      @JsonProperty("Healthcheck") Healthcheck healthcheck,
      @JsonProperty("OnBuild") List<String> onBuild,
      @JsonProperty("Shell") List<String> shell) {

    public static final ContainerConfig EMPTY =
        new ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null);

    public ContainerConfig withUser(String value) {
      return new ContainerConfig(value, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withExposedPorts(Map<String, Map<String, Object>> value) {
      return new ContainerConfig(user, value, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withEnv(List<String> value) {
      return new ContainerConfig(user, exposedPorts, value, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withEntrypoint(List<String> value) {
      return new ContainerConfig(user, exposedPorts, env, value, cmd, volumes, workingDir, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withCmd(List<String> value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, value, volumes, workingDir, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withVolumes(Map<String, Map<String, Object>> value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, value, workingDir, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withWorkingDir(String value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, value, labels, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withLabels(Map<String, String> value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, value, stopSignal,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withStopSignal(String value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, value,
          healthcheck, onBuild, shell);
    }

    public ContainerConfig withHealthcheck(Healthcheck value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          value, onBuild, shell);
    }

    /** ONBUILD triggers: instructions run when an image is built on this one. */
    public ContainerConfig withOnBuild(List<String> value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          healthcheck, value, shell);
    }

    public ContainerConfig withShell(List<String> value) {
      return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          healthcheck, onBuild, value);
    }
  }

  /**
   * Docker's health check: {@code Test} is {@code ["NONE"]}, {@code ["CMD", args…]} or
   * {@code ["CMD-SHELL", command]}; durations in nanoseconds, 0 (left out) meaning the default.
   */
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Healthcheck(
      @JsonProperty("Test") List<String> test,
      @JsonProperty("Interval") long interval,
      @JsonProperty("Timeout") long timeout,
      @JsonProperty("StartPeriod") long startPeriod,
      @JsonProperty("StartInterval") long startInterval,
      @JsonProperty("Retries") int retries) {
    public Healthcheck {
      test = test == null ? null : List.copyOf(test);
    }
  }

  public record RootFs(
      @JsonProperty("type") String type,
      @JsonProperty("diff_ids") List<Digest> diffIds) {
    public RootFs {
      diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record History(
      @JsonProperty("created") String created,
      @JsonProperty("created_by") String createdBy,
      @JsonProperty("comment") String comment,
      @JsonProperty("empty_layer") Boolean emptyLayer) {}
}
