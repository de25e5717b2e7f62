package dev.berth.engine;

import dev.berth.layer.Compression;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings that shape the bytes of every image a build writes, and how a run treats versions.
 *
 * @param sourceDateEpoch the time written into every tar entry and config ({@code SOURCE_DATE_EPOCH}, default 0)
 * @param versionSuffix added to every changelog version of the run (docker-pkg's {@code --nightly}: {@code -YYYYMMDD})
 * @param stepReuse when command steps may come from the step cache
 */
public record BuildSettings(Compression compression, long sourceDateEpoch, String versionSuffix, StepReuse stepReuse) {
  public BuildSettings {
    versionSuffix = versionSuffix == null ? "" : versionSuffix;
    stepReuse = stepReuse == null ? StepReuse.VERSIONED : stepReuse;
  }

  public BuildSettings(Compression compression, long sourceDateEpoch) {
    this(compression, sourceDateEpoch, "", StepReuse.VERSIONED);
  }

  public static BuildSettings fromEnvironment(Map<String, String> environment, Compression compression) {
    String epoch = environment.get("SOURCE_DATE_EPOCH");
    long seconds = 0;
    if (epoch != null && !epoch.isBlank()) {
      try {
        seconds = Long.parseLong(epoch.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("SOURCE_DATE_EPOCH must be whole seconds, not '" + epoch + "'");
      }
    }
    return new BuildSettings(compression, seconds);
  }

  public BuildSettings withVersionSuffix(String suffix) {
    return new BuildSettings(compression, sourceDateEpoch, suffix, stepReuse);
  }

  public BuildSettings withStepReuse(StepReuse reuse) {
    return new BuildSettings(compression, sourceDateEpoch, versionSuffix, reuse);
  }

  /** The {@code created} time of configs and history, in RFC 3339. */
  public String created() {
    return Instant.ofEpochSecond(sourceDateEpoch).toString();
  }

  Map<String, Object> keyFields() {
    Map<String, Object> out = new TreeMap<>();
    out.put("compression", compression.name().toLowerCase(java.util.Locale.ROOT));
    out.put("sourceDateEpoch", sourceDateEpoch);
    return out;
  }
}
