package dev.berth.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class DaemonAddressTest {
  @TempDir Path dir;

  private DaemonAddress address(Path cwd, Map<String, String> environment) throws Exception {
    Path jar = dir.resolve("berth.jar");
    if (!Files.exists(jar)) {
      Files.writeString(jar, "jar");
    }
    return DaemonAddress.of(jar, cwd, environment, "0022").orElseThrow();
  }

  @Test
  void aProcessServesOneSettingOnly() throws Exception {
    Map<String, String> plain = Map.of("HOME", "/root", "PATH", "/usr/bin");
    DaemonAddress base = address(dir, plain);
    assertThat(address(dir, with(plain, "SHLVL", "3")).identity()).as("a variable berth does not read")
        .isEqualTo(base.identity());
    assertThat(address(dir, with(plain, "BERTH_STORE", "/s")).identity()).isNotEqualTo(base.identity());
    assertThat(address(dir, with(plain, "DOCKER_CONFIG", "/d")).identity()).isNotEqualTo(base.identity());
    assertThat(address(dir, with(plain, "BERTH_REPLAY", "off")).identity()).as("the replay switch")
        .isNotEqualTo(base.identity());
    assertThat(address(dir.resolve("elsewhere"), plain).identity()).as("the working directory")
        .isNotEqualTo(base.identity());
    assertThat(address(dir, with(plain, "BERTH_STORE", "/s")).socket()).isNotEqualTo(base.socket());
    assertThat(DaemonAddress.of(dir.resolve("berth.jar"), dir, plain, "0077").orElseThrow().identity())
        .as("the umask").isNotEqualTo(base.identity());
    assertThat(DaemonAddress.ownUmask()).matches("[0-7]{4}");
  }

  @Test
  void theSocketIsInTheUsersRuntimeFolderElseTheCache() throws Exception {
    assertThat(address(dir, Map.of("XDG_RUNTIME_DIR", "/run/user/7", "HOME", "/home/u")).socket().getParent())
        .isEqualTo(Path.of("/run/user/7/berth"));
    assertThat(address(dir, Map.of("XDG_CACHE_HOME", "/c", "HOME", "/home/u")).socket().getParent())
        .isEqualTo(Path.of("/c/berth/daemon"));
    assertThat(address(dir, Map.of("HOME", "/home/u")).socket().getParent())
        .isEqualTo(Path.of("/home/u/.cache/berth/daemon"));
    assertThat(address(dir, Map.of("HOME", "/home/u")).socket().getFileName().toString()).matches("[0-9a-f]{16}\\.sock");
    assertThat(DaemonAddress.of(dir.resolve("berth.jar"), dir, Map.of(), "0022")).isEmpty();
  }

  @Test
  void onlyCommandsThatStartNoContainerGoToTheProcessAndOnlyWhenSwitchedOn() throws Exception {
    Path jar = dir.resolve("berth.jar");
    Files.writeString(jar, "jar");
    Map<String, String> on = Map.of("HOME", "/home/u", "BERTH_DAEMON", "on");
    assertThat(DaemonClient.forCommand(new String[] {"plan", "."}, on, jar, false)).isPresent();
    assertThat(DaemonClient.forCommand(new String[] {"--debug", "copy", "a", "b"}, on, jar, false)).isPresent();
    assertThat(DaemonClient.forCommand(new String[] {"build", "."}, on, jar, false)).as("build runs containers").isEmpty();
    assertThat(DaemonClient.forCommand(new String[] {"docker-pkg", "build"}, on, jar, false)).isEmpty();
    assertThat(DaemonClient.forCommand(new String[] {"plan", "."}, on, jar, true)).as("a terminal").isEmpty();
    assertThat(DaemonClient.forCommand(new String[] {"plan", "."}, Map.of("HOME", "/home/u"), jar, false))
        .as("not switched on").isEmpty();
    assertThat(DaemonClient.forCommand(new String[] {"plan", "."}, on, null, false)).as("not from a jar").isEmpty();
  }

  @Test
  void aSocketFolderOthersMayEnterIsNeverUsed() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("runtime"));
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThat(DaemonClient.privateFolder(folder)).isTrue();
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(DaemonClient.privateFolder(folder)).isFalse();
    Path link = Files.createSymbolicLink(dir.resolve("link"), folder);
    Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    assertThat(DaemonClient.privateFolder(link)).as("a symbolic link").isFalse();
    assertThat(DaemonClient.privateFolder(dir.resolve("absent"))).isFalse();
  }

  private static Map<String, String> with(Map<String, String> environment, String name, String value) {
    Map<String, String> copy = new HashMap<>(environment);
    copy.put(name, value);
    return copy;
  }
}
