package dev.berth.dockerfile;

import dev.berth.spec.ImageSpec;
import dev.berth.spec.RunMount;
import dev.berth.spec.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code RUN --mount=type=cache|secret|bind|tmpfs,...} (BuildKit) on berth's mounts of an image's run
 * steps: a cache directory kept between builds, a secret file at {@code /run/secrets/ID} that never
 * reaches a layer or the key, files of the context or ({@code from=}) of another stage or image. berth mounts them for every RUN step of the stage, not only the one
 * that names them.
 */
final class RunMounts {
  private static final Set<String> CACHE_KEYS = Set.of("type", "target", "dst", "destination", "id", "sharing",
      "mode", "uid", "gid", "readonly", "ro", "rw", "readwrite", "from", "source", "src");
  private static final Set<String> BIND_KEYS = Set.of("type", "target", "dst", "destination", "source", "src",
      "from", "rw", "readwrite", "ro", "readonly");
  private static final Set<String> TMPFS_KEYS = Set.of("type", "target", "dst", "destination", "size");
  private static final Set<String> SSH_KEYS = Set.of("type", "target", "dst", "destination", "id", "required",
      "mode", "uid", "gid");
  private static final Set<String> SECRET_KEYS = Set.of("type", "target", "dst", "destination", "id", "required",
      "mode", "uid", "gid");

  private RunMounts() {}

  /**
   * Applies each {@code --mount} value (several are separated by newlines) of a RUN to {@code stage}:
   * caches and secrets to the stage; binds and tmpfs, returned, to this step alone.
   */
  static List<RunMount> apply(DockerfileStage stage, String mounts, ShellWords words) {
    List<RunMount> out = new ArrayList<>();
    int sshIndex = 0;
    for (String mount : mounts.split("\n")) {
      Map<String, String> raw = options(mount);
      if (raw.getOrDefault("from", "").contains("$")) {  // BuildKit: testMountFromError
        throw new IllegalArgumentException("RUN --mount: 'from' doesn't take variables (" + raw.get("from")
            + "); name the stage with AS instead");
      }
      Map<String, String> options = options(words.word(mount));
      String type = options.getOrDefault("type", "bind").toLowerCase(Locale.ROOT);
      switch (type) {
        case "cache" -> cache(stage, options);
        case "secret" -> secret(stage, options);
        case "bind" -> out.add(bind(stage, options));
        case "tmpfs" -> out.add(tmpfs(stage, options));
        case "ssh" -> out.add(ssh(stage, options, sshIndex++));
        default -> throw new IllegalArgumentException("unsupported mount type '" + type + "'");
      }
    }
    return out;
  }

  /** BuildKit's bind: {@code source} (default: all) of the context at {@code target}, read-only unless {@code rw}. */
  private static RunMount bind(DockerfileStage stage, Map<String, String> options) {
    check(options, BIND_KEYS, "bind");
    String target = target(options);
    if (target == null) {
      throw new IllegalArgumentException("RUN --mount=type=bind needs a target");
    }
    String source = options.getOrDefault("source", options.getOrDefault("src", "."));
    String relative = ImagePaths.normalize("/" + source).substring(1);
    boolean readWrite = flag(options, "rw") || flag(options, "readwrite");
    if (flag(options, "ro") || flag(options, "readonly")) {
      readWrite = false;
    }
    if (options.containsKey("from")) {  // another stage's or an image's files, as COPY --from names them
      String image = CopyInstruction.sourceImage(stage, options.get("from"), "RUN --mount=from");
      return new RunMount.ImageBind(image, "/" + relative, absolute(stage, target), readWrite);
    }
    return new RunMount.Bind(relative.isEmpty() ? "." : relative, absolute(stage, target), readWrite);
  }

  /**
   * BuildKit's ssh: the agent {@code id} (default {@code default}) given with {@code --ssh}, at
   * {@code target} (default {@code /run/buildkit/ssh_agent.N}, N counting this RUN's ssh mounts).
   */
  private static RunMount ssh(DockerfileStage stage, Map<String, String> options, int index) {
    check(options, SSH_KEYS, "ssh");
    for (String key : List.of("uid", "gid", "mode")) {
      if (options.containsKey(key)) {
        throw new IllegalArgumentException("RUN --mount=type=ssh," + key + "= is not supported yet: berth binds the"
            + " agent's own socket");
      }
    }
    String id = options.getOrDefault("id", "default");
    Path socket = stage.conversion.sshAgents.get(id);
    if (socket == null) {
      throw new IllegalArgumentException("RUN --mount=type=ssh needs the SSH agent '" + id + "': give it with --ssh "
          + id + (id.equals("default") ? " (and SSH_AUTH_SOCK set)" : "=SOCKET"));
    }
    String target = target(options);
    return new RunMount.Ssh(id, target == null ? "/run/buildkit/ssh_agent." + index : absolute(stage, target),
        socket);
  }

  /** BuildKit's tmpfs: an empty file system at {@code target}, {@code size} bytes at most. */
  private static RunMount tmpfs(DockerfileStage stage, Map<String, String> options) {
    check(options, TMPFS_KEYS, "tmpfs");
    String target = target(options);
    if (target == null) {
      throw new IllegalArgumentException("RUN --mount=type=tmpfs needs a target");
    }
    long size = 0;
    if (options.containsKey("size")) {
      size = Sizes.bytes(options.get("size"));
    }
    return new RunMount.Tmpfs(absolute(stage, target), size);
  }

  private static boolean flag(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      return false;
    }
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("invalid value '" + value + "' of " + key + ": true or false");
    }
    return value.equals("true");
  }

  private static String absolute(DockerfileStage stage, String target) {
    return ImagePaths.normalize(target.startsWith("/") ? target
        : (stage.workdir == null ? "/" : stage.workdir + "/") + target);
  }

  private static Map<String, String> options(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : value.split(",")) {
      int equals = field.indexOf('=');
      String key = (equals < 0 ? field : field.substring(0, equals)).toLowerCase(Locale.ROOT).strip();
      out.put(key, equals < 0 ? "true" : field.substring(equals + 1));
    }
    return out;
  }

  private static String target(Map<String, String> options) {
    String target = options.getOrDefault("target", options.getOrDefault("dst", options.get("destination")));
    return target == null || target.isEmpty() ? null : target;
  }

  private static void check(Map<String, String> options, Set<String> known, String type) {
    for (String key : options.keySet()) {
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unexpected key '" + key + "' in RUN --mount=type=" + type);
      }
    }
  }

  private static void cache(DockerfileStage stage, Map<String, String> options) {
    check(options, CACHE_KEYS, "cache");
    String target = target(options);
    if (target == null) {
      throw new IllegalArgumentException("RUN --mount=type=cache needs a target");
    }
    if (options.containsKey("from") || options.containsKey("source") || options.containsKey("src")) {
      throw new IllegalArgumentException("RUN --mount=type=cache with from/source is not supported yet");
    }
    String absolute = absolute(stage, target);
    if (!stage.caches.contains(absolute)) {
      stage.caches.add(absolute);
    }
  }

  private static void secret(DockerfileStage stage, Map<String, String> options) {
    check(options, SECRET_KEYS, "secret");
    String target = target(options);
    String id = options.get("id");
    if (id == null || id.isEmpty()) {
      if (target == null) {
        throw new IllegalArgumentException("RUN --mount=type=secret needs an id or a target");
      }
      id = Path.of(target).getFileName().toString();
    }
    if (target != null && !target.equals("/run/secrets/" + id)) {
      throw new IllegalArgumentException("RUN --mount=type=secret,target=" + target
          + " is not supported yet: berth mounts secrets at /run/secrets/ID");
    }
    Path source = stage.conversion.secrets.get(id);
    if (source == null) {
      if (Boolean.parseBoolean(options.getOrDefault("required", "false"))) {
        throw new IllegalArgumentException("secret '" + id + "' is required; give it with --secret id=" + id
            + ",src=FILE");
      }
      return;
    }
    String wanted = id;
    if (stage.secrets.stream().noneMatch(secret -> secret.id().equals(wanted))) {
      stage.secrets.add(new ImageSpec.Secret(id, source));
    }
  }
}
