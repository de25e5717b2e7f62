package dev.berth.engine;

import dev.berth.oci.ImageConfig;
import dev.berth.spec.ImageSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Applies a spec's runtime configuration on top of the base's, as Docker's instructions would. */
final class RuntimeConfigs {
  private RuntimeConfigs() {}

  static ImageConfig apply(ImageConfig image, ImageSpec.RuntimeConfig wanted) {
    ImageConfig.ContainerConfig config = image.config();
    if (!wanted.env().isEmpty()) {
      config = config.withEnv(mergeEnv(config.env(), wanted.env()));
    }
    if (wanted.workdir() != null) {
      config = config.withWorkingDir(wanted.workdir());
    }
    if (wanted.user() != null) {
      config = config.withUser(wanted.user());
    }
    if (wanted.entrypoint() != null) {
      config = config.withEntrypoint(wanted.entrypoint().isEmpty() ? null : wanted.entrypoint());
      if (wanted.cmd() == null) {
        config = config.withCmd(null);
      }
    }
    if (wanted.cmd() != null) {
      config = config.withCmd(wanted.cmd().isEmpty() ? null : wanted.cmd());
    }
    if (!wanted.expose().isEmpty()) {
      Map<String, Map<String, Object>> ports = new TreeMap<>(orEmpty(config.exposedPorts()));
      wanted.expose().forEach(port -> ports.put(port, Map.of()));
      config = config.withExposedPorts(ports);
    }
    if (!wanted.volumes().isEmpty()) {
      Map<String, Map<String, Object>> volumes = new TreeMap<>(orEmpty(config.volumes()));
      wanted.volumes().forEach(volume -> volumes.put(volume, Map.of()));
      config = config.withVolumes(volumes);
    }
    if (!wanted.labels().isEmpty()) {
      Map<String, String> labels = new TreeMap<>(config.labels() == null ? Map.of() : config.labels());
      labels.putAll(wanted.labels());
      config = config.withLabels(labels);
    }
    if (wanted.stopSignal() != null) {
      config = config.withStopSignal(wanted.stopSignal());
    }
    if (wanted.healthcheck() != null) {
      config = config.withHealthcheck(wanted.healthcheck());
    }
    if (wanted.shell() != null) {
      config = config.withShell(wanted.shell());
    }
    // A base's triggers ran when this image was built on it (Dockerfiles); they do not pass on.
    config = config.withOnBuild(wanted.onBuild().isEmpty() ? null : wanted.onBuild());
    ImageConfig out = image.withConfig(config);
    return wanted.author() != null ? out.withAuthor(wanted.author()) : out;
  }

  /** {@code KEY=VALUE} entries of {@code base}, with {@code changes} replacing or appending by key. */
  static List<String> mergeEnv(List<String> base, Map<String, String> changes) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (String entry : base == null ? List.<String>of() : base) {
      int equals = entry.indexOf('=');
      merged.put(equals < 0 ? entry : entry.substring(0, equals), equals < 0 ? "" : entry.substring(equals + 1));
    }
    new TreeMap<>(changes).forEach(merged::put);
    List<String> out = new ArrayList<>();
    merged.forEach((key, value) -> out.add(key + "=" + value));
    return out;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
