package dev.berth.dockerfile;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * docker-pkg's template filters, as Jinjava filters: {@code image_tag}, {@code apt_install},
 * {@code apt_remove}, {@code uid}, {@code add_user} and {@code upstream_version}.
 */
final class DockerPkgFilters {
  private final DockerPkgConfig config;
  private final Map<String, String> treeImages;
  private final Consumer<String> warnings;

  /**
   * @param treeImages short name → full reference ({@code registry/namespace/name:version}) of every image of the tree
   */
  DockerPkgFilters(DockerPkgConfig config, Map<String, String> treeImages, Consumer<String> warnings) {
    this.config = config;
    this.treeImages = Map.copyOf(treeImages);
    this.warnings = warnings;
  }

  List<Filter> all() {
    return List.of(
        filter("image_tag", this::imageTag),
        filter("apt_install", packages -> aptInstall(packages.replace('\n', ' '))),
        filter("apt_remove", this::aptRemove),
        filter("uid", this::uid),
        filter("add_user", this::addUser),
        filter("upstream_version", DockerPkgFilters::upstreamVersion));
  }

  /** The full reference of an image of the tree, or of a {@code base_images} entry, by its short name. */
  String imageTag(String shortName) {
    String tree = treeImages.get(shortName);
    if (tree != null) {
      return tree;
    }
    String full = config.fullName(shortName);
    Optional<String> exact = config.baseImages().stream().filter(base -> repository(base).equals(full)).findFirst();
    if (exact.isPresent()) {
      return exact.get();
    }
    List<String> byLastName = config.baseImages().stream()
        .filter(base -> {
          String repository = repository(base);
          return repository.substring(repository.lastIndexOf('/') + 1).equals(shortName);
        }).toList();
    if (byLastName.size() == 1) {
      return byLastName.get(0);
    }
    throw new IllegalArgumentException("image_tag: no image '" + shortName + "' in the tree or in base_images"
        + (byLastName.size() > 1 ? " (several base_images end with that name: " + byLastName + ")" : ""));
  }

  String aptInstall(String packages) {
    String options = config.aptOptions().isEmpty() ? "" : " " + config.aptOptions();
    return aptCommand("apt-get update" + options + " \\\n    && DEBIAN_FRONTEND=noninteractive apt-get install" + options
        + " --yes --no-install-recommends " + packages.strip());
  }

  String aptRemove(String packages) {
    return aptCommand("apt-get update \\\n    && DEBIAN_FRONTEND=noninteractive apt-get remove --yes --purge "
        + packages.strip());
  }

  private String aptCommand(String command) {
    String proxy = config.aptOnlyProxy();
    StringBuilder out = new StringBuilder();
    if (proxy != null && !proxy.isEmpty()) {
      out.append("echo 'Acquire::http::Proxy \"").append(proxy).append("\";' > /etc/apt/apt.conf.d/80_proxy \\\n    && ");
    }
    out.append(command);
    if (proxy != null && !proxy.isEmpty()) {
      out.append(" \\\n    && rm -f /etc/apt/apt.conf.d/80_proxy");
    }
    return out.append(" \\\n    && apt-get clean && rm -rf /var/lib/apt/lists/*").toString();
  }

  String uid(String user) {
    String uid = config.knownUidMappings().get(user);
    if (uid == null) {
      warnings.accept("uid: no known_uid_mappings entry for user '" + user + "'; the name is used as it is");
      return user;
    }
    return uid;
  }

  String addUser(String user) {
    String uid = config.knownUidMappings().get(user);
    if (uid == null) {
      throw new IllegalArgumentException("add_user: no known_uid_mappings entry for user '" + user + "'");
    }
    return "groupadd -o -g " + uid + " -r " + user + " && useradd -l -o -r -m -d /var/lib/" + user + " -g " + user
        + " -u " + uid + " " + user;
  }

  /** The upstream part of an image reference's tag: {@code x/name:1.63.0-1-20241211} → {@code 1.63.0}. */
  static String upstreamVersion(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    String tag = colon > slash ? reference.substring(colon + 1) : reference;
    int dash = tag.indexOf('-');
    return dash < 0 ? tag : tag.substring(0, dash);
  }

  private static String repository(String reference) {
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    int at = reference.indexOf('@');
    String withoutDigest = at < 0 ? reference : reference.substring(0, at);
    return colon > slash && (at < 0 || colon < at) ? withoutDigest.substring(0, colon) : withoutDigest;
  }

  private interface StringFunction {
    String apply(String value);
  }

  private static Filter filter(String name, StringFunction function) {
    return new Filter() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        if (value == null) {
          throw new IllegalArgumentException(name + " was given an undefined value");
        }
        if (value instanceof Iterable<?> iterable) {
          List<String> parts = new ArrayList<>();
          iterable.forEach(item -> parts.add(String.valueOf(item)));
          return function.apply(String.join(" ", parts));
        }
        return function.apply(String.valueOf(value));
      }
    };
  }
}
