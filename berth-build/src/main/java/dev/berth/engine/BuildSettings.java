package dev.berth.engine;

import dev.berth.layer.Compression;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings that shape the bytes of every image a build writes.
 *
 * @param sourceDateEpoch the time written into every tar entry and config ({@code SOURCE_DATE_EPOCH}, default 0)
 */
public record BuildSettings(Compression compression, long sourceDateEpoch) {
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
