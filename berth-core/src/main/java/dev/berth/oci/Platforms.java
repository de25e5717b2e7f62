package dev.berth.oci;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The platforms an image or a run is built for, in the order given, each once: {@code linux/amd64,linux/arm64}.
 * An image built for more than one is one manifest per platform plus an index over them.
 */
public record Platforms(List<Platform> list) {
  public Platforms {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("no platform given: expected os/arch[/variant][,os/arch…]");
    }
    list = List.copyOf(new LinkedHashSet<>(list));
  }

  public static Platforms of(Platform... platforms) {
    return new Platforms(List.of(platforms));
  }

  /**
   * Parses a comma-separated list ({@code linux/amd64,linux/arm64}), as docker buildx's {@code --platform};
   * an unknown or malformed entry is an {@link IllegalArgumentException} naming it.
   */
  public static Platforms parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no platform given: expected os/arch[/variant][,os/arch…]");
    }
    List<Platform> out = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (part.isBlank()) {
        throw new IllegalArgumentException("invalid platform list '" + text + "': an empty entry");
      }
      out.add(Platform.parse(part));
    }
    return new Platforms(out);
  }

  /** Parses each entry of a YAML list (an entry may itself be a comma-separated list). */
  public static Platforms parse(List<String> entries) {
    if (entries == null || entries.isEmpty()) {
      throw new IllegalArgumentException("no platform given: expected a list of os/arch[/variant]");
    }
    List<Platform> out = new ArrayList<>();
    for (String entry : entries) {
      out.addAll(parse(entry).list());
    }
    return new Platforms(out);
  }

  public Platform first() {
    return list.get(0);
  }

  public boolean many() {
    return list.size() > 1;
  }

  public boolean contains(Platform platform) {
    return list.contains(platform);
  }

  /**
   * The first of these platforms a machine of platform {@code machine} runs natively (what {@code --load}
   * puts into that machine's Docker engine), or empty when it runs none of them.
   */
  public java.util.Optional<Platform> servedBy(Platform machine) {
    return list.stream().filter(platform -> platform.matches(machine)).findFirst();
  }

  public int size() {
    return list.size();
  }

  @Override
  public String toString() {
    return String.join(",", list.stream().map(Platform::toString).toList());
  }
}
