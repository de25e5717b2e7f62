package dev.berth.dockerfile;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docker-pkg's template filters, with docker-pkg's output to the byte: {@code image_tag},
 * {@code apt_install}, {@code apt_remove}, {@code uid}, {@code add_user} and {@code upstream_version}.
 */
final class DockerPkgFilters {
  static final List<String> NAMES = List.of("image_tag", "apt_install", "apt_remove", "uid", "add_user",
      "upstream_version");
  private static final Pattern DEBIAN_VERSION =
      Pattern.compile("^((\\d+):)?([A-Za-z0-9.+:~-]+?)(-([A-Za-z0-9+.~]+))?$");

  private final DockerPkgConfig config;
  private final List<String> knownImages;

  /** A filter's refusal, in docker-pkg's terms; the template's file and line are added by the caller. */
  static final class Failure extends RuntimeException {
    Failure(String message) {
      super(message);
    }
  }

  /**
   * @param knownImages full references ({@code registry/namespace/name:tag}) of the tree's images and
   *     of {@code base_images}, the ones {@code image_tag} can name
   */
  DockerPkgFilters(DockerPkgConfig config, List<String> knownImages) {
    this.config = config;
    this.knownImages = List.copyOf(knownImages);
  }

  List<Filter> all() {
    return List.of(
        filter("image_tag", value -> imageTag(string("image_tag", value))),
        filter("apt_install", value -> aptInstall(string("apt_install", value).replace("\n", " "))),
        filter("apt_remove", value -> aptRemove(Py.str(value))),
        filter("uid", (value, interpreter) -> uid(value, DockerPkgTemplates.warnings(interpreter))),
        filter("add_user", this::addUser),
        filter("upstream_version", value -> upstreamVersion(string("upstream_version", value))));
  }

  /** The known reference whose name is {@code registry/namespace/shortName}. */
  String imageTag(String shortName) {
    String wanted = config.fullName(shortName);
    for (String known : knownImages) {
      int colon = known.lastIndexOf(':');
      if (colon > known.lastIndexOf('/') && known.substring(0, colon).equals(wanted)) {
        return known;
      }
    }
    throw new Failure("image_tag: no image " + wanted + " in the tree or in base_images (or it has no tag)");
  }

  String aptInstall(String packages) {
    String options = Py.str(config.values().get("apt_options"));
    Object proxy = config.values().get("apt_only_proxy");
    StringBuilder out = new StringBuilder();
    if (Py.truthy(proxy)) {
      out.append("echo 'Acquire::http::Proxy \"").append(Py.str(proxy)).append("\";' > /etc/apt/apt.conf.d/80_proxy")
          .append(" \\\n    && ");
    }
    out.append("apt-get update ").append(options).append(" \\\n    && DEBIAN_FRONTEND=noninteractive \\\n")
        .append("    apt-get install ").append(options).append(" --yes ").append(packages)
        .append(" --no-install-recommends \\");
    return cleanUp(out, proxy);
  }

  String aptRemove(String packages) {
    Object proxy = config.values().get("apt_only_proxy");
    StringBuilder out = new StringBuilder();
    if (Py.truthy(proxy)) {
      // docker-pkg's own output: two spaces before && and no line break after the backslash
      out.append("echo 'Acquire::http::Proxy \"").append(Py.str(proxy)).append("\";' > /etc/apt/apt.conf.d/80_proxy")
          .append("  && \\");
    }
    out.append("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get remove --yes --purge ").append(packages)
        .append(" \\");
    return cleanUp(out, proxy);
  }

  private static String cleanUp(StringBuilder command, Object proxy) {
    if (Py.truthy(proxy)) {
      command.append("\n    && rm -f /etc/apt/apt.conf.d/80_proxy \\");
    }
    return command.append("\n    && apt-get clean && rm -rf /var/lib/apt/lists/* ").toString();
  }

  /** The uid of a known user, as text; an unknown user is returned as it is, with a warning (as docker-pkg). */
  Object uid(Object user, List<TemplateWarning> warnings) {
    String uid = config.knownUidMappings().get(Py.str(user));
    if (uid == null) {
      warnings.add(new TemplateWarning.UnmappedUser(Py.str(user)));
      return user;
    }
    return uid;
  }

  String addUser(Object user) {
    String name = Py.str(user);
    String uid = config.knownUidMappings().get(name);
    if (uid == null) {
      throw new Failure("add_user: no known_uid_mappings entry for user '" + name + "'");
    }
    return "groupadd -o -g " + uid + " -r " + name + " && useradd -l -o -r -m -d /var/lib/" + name + " -g " + name
        + " -u " + uid + " " + name;
  }

  /** The upstream part of a reference's tag, as Debian reads a version: {@code x/name:1.63.0-1-2024} → {@code 1.63.0}. */
  static String upstreamVersion(String reference) {
    String[] parts = reference.split(":", -1);
    if (parts.length != 2) {
      throw new Failure("upstream_version: '" + reference + "' is not one name:tag");
    }
    String tag = parts[1];
    if (!tag.contains("-")) {
      return tag;
    }
    String[] pieces = tag.split("-", -1);
    if (pieces.length > 2) {
      tag = pieces[0] + "-" + pieces[1];
    }
    Matcher matcher = DEBIAN_VERSION.matcher(tag);
    if (!matcher.matches() || matcher.group(2) == null && matcher.group(3).contains(":")) {
      throw new Failure("upstream_version: '" + tag + "' is not a Debian version");
    }
    return matcher.group(3);
  }

  private static String string(String filter, Object value) {
    if (!(value instanceof CharSequence text)) {
      throw new Failure(filter + " needs a string, not " + Py.repr(value));
    }
    return text.toString();
  }

  private static Filter filter(String name, Function<Object, Object> function) {
    return filter(name, (value, interpreter) -> function.apply(value));
  }

  /** A filter of one value and no arguments that reads the rendering ({@code interpreter}) besides. */
  private static Filter filter(String name, BiFunction<Object, JinjavaInterpreter, Object> function) {
    return new Filter() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        if (args.length > 0) {
          throw new Failure(name + " takes no arguments");
        }
        return function.apply(value, interpreter);
      }

      @Override
      public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        if (args.length > 0 || !kwargs.isEmpty()) {
          throw new Failure(name + " takes no arguments");
        }
        return function.apply(value, interpreter);
      }
    };
  }
}
