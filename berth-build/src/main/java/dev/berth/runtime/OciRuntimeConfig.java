package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI runtime configuration ({@code config.json}) of a container berth runs: Docker's default
 * capabilities, no new privileges, masked kernel paths, the host's resolv.conf and hosts, and a
 * network namespace of its own unless the step asks for the host's.
 */
public final class OciRuntimeConfig {
  /** Docker's default capability set. */
  static final List<String> DEFAULT_CAPABILITIES = List.of(
      "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
      "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
      "CAP_AUDIT_WRITE");

  static final List<String> MASKED_PATHS = List.of(
      "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
      "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware");

  static final List<String> READONLY_PATHS = List.of(
      "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

  private OciRuntimeConfig() {}

  /** What runs, as whom, where, and with which extra mounts. */
  public record Process(List<String> args, List<String> env, int uid, int gid, List<Integer> groups, String cwd) {}

  /** A host path bound into the container. */
  public record Bind(Path source, String destination, boolean readOnly) {}

  /** An empty tmpfs at {@code destination}, at most {@code size} bytes (0: the kernel's default). */
  public record Tmpfs(String destination, long size) {}

  public static Map<String, Object> build(Path rootfs, boolean readOnlyRoot, Process process, boolean hostNetwork,
      List<Bind> binds, long openFilesLimit) {
    return build(rootfs, readOnlyRoot, process, hostNetwork, binds, List.of(), openFilesLimit);
  }

  public static Map<String, Object> build(Path rootfs, boolean readOnlyRoot, Process process, boolean hostNetwork,
      List<Bind> binds, List<Tmpfs> tmpfs, long openFilesLimit) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("ociVersion", "1.0.2");
    Map<String, Object> proc = new LinkedHashMap<>();
    proc.put("terminal", false);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("uid", process.uid());
    user.put("gid", process.gid());
    if (!process.groups().isEmpty()) {
      user.put("additionalGids", process.groups());
    }
    proc.put("user", user);
    proc.put("args", process.args());
    proc.put("env", process.env());
    proc.put("cwd", process.cwd() == null || process.cwd().isEmpty() ? "/" : process.cwd());
    Map<String, Object> caps = new LinkedHashMap<>();
    for (String set : List.of("bounding", "effective", "permitted")) {
      caps.put(set, DEFAULT_CAPABILITIES);
    }
    proc.put("capabilities", caps);
    proc.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "hard", openFilesLimit, "soft", openFilesLimit)));
    proc.put("noNewPrivileges", true);
    config.put("process", proc);
    config.put("root", Map.of("path", rootfs.toString(), "readonly", readOnlyRoot));
    config.put("hostname", "berth");
    List<Map<String, Object>> mounts = new ArrayList<>();
    mounts.add(mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
    mounts.add(mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
    mounts.add(mount("/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620")));
    mounts.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
    mounts.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
    mounts.add(mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
    for (Bind bind : binds) {
      List<String> options = new ArrayList<>(List.of("rbind", "nosuid", "nodev"));
      options.add(bind.readOnly() ? "ro" : "rw");
      mounts.add(mount(bind.destination(), "bind", bind.source().toString(), options));
    }
    for (Tmpfs mount : tmpfs) {
      List<String> options = new ArrayList<>(List.of("nosuid", "nodev", "mode=1777"));
      if (mount.size() > 0) {
        options.add("size=" + mount.size());
      }
      mounts.add(mount(mount.destination(), "tmpfs", "tmpfs", options));
    }
    config.put("mounts", mounts);
    Map<String, Object> linux = new LinkedHashMap<>();
    List<Map<String, Object>> namespaces = new ArrayList<>();
    for (String type : List.of("pid", "ipc", "uts", "mount")) {
      namespaces.add(Map.of("type", type));
    }
    if (!hostNetwork) {
      namespaces.add(Map.of("type", "network"));
    }
    linux.put("namespaces", namespaces);
    linux.put("maskedPaths", MASKED_PATHS);
    linux.put("readonlyPaths", READONLY_PATHS);
    config.put("linux", linux);
    return config;
  }

  private static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
    Map<String, Object> mount = new LinkedHashMap<>();
    mount.put("destination", destination);
    mount.put("type", type);
    mount.put("source", source);
    mount.put("options", options);
    return mount;
  }

  /** The hard limit on open files of this process, which a container may not exceed. */
  public static long openFilesHardLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
          return fields[1].equals("unlimited") ? 1 << 20 : Long.parseLong(fields[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to a limit every machine allows
    }
    return 1024;
  }
}
