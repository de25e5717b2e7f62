package dev.berth.dockerfile;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class DockerPkgConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsAreDockerPkgs() {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of(), null, Map.of());
    assertThat(config.knownUidMappings()).containsExactly(Map.entry("root", "0"), Map.entry("www-data", "33"),
        Map.entry("nobody", "65534"));
    assertThat(config.registry()).isEmpty();
    assertThat(config.namespace()).isEmpty();
    assertThat(config.aptOptions()).isEmpty();
    assertThat(config.httpProxy()).isNull();
    assertThat(config.aptOnlyProxy()).isNull();
    assertThat(config.username()).isNull();
    assertThat(config.distribution()).isEqualTo("wikimedia");
    assertThat(config.updateId()).isEqualTo("s");
    assertThat(config.fallbackAuthor()).isEqualTo("Author");
    assertThat(config.fallbackEmail()).isEqualTo("email@domain");
    assertThat(config.verifyCommand()).isEqualTo("/bin/bash");
    assertThat(config.verifyArgs()).containsExactly("-c", "{path}/test.sh {image}");
    assertThat(config.forceNumericUser()).isFalse();
    assertThat(config.buildArgs()).isEmpty();
    assertThat(config.fullName("app")).isEqualTo("app");
    assertThat(config.templateVariables()).containsKeys("http_proxy", "apt_only_proxy", "ca_bundle", "scan_workers",
        "password");
  }

  @Test
  void treeOverUserOverDefaultsKeyByKey() throws IOException {
    Path user = Files.writeString(dir.resolve("docker-pkg.yaml"),
        "http_proxy: http://user-proxy:8080\nnamespace: mine\nknown_uid_mappings: {app: 1000}\n");
    Path tree = Files.writeString(dir.resolve("config.yaml"), "registry: r.example\nnamespace: team\n");
    DockerPkgConfig config = DockerPkgConfig.load(tree, user);
    assertThat(config.namespace()).isEqualTo("team");
    assertThat(config.fullName("app")).isEqualTo("r.example/team/app");
    assertThat(config.httpProxy()).isEqualTo("http://user-proxy:8080");
    assertThat(config.aptOnlyProxy()).isEqualTo("http://user-proxy:8080");
    assertThat(config.knownUidMappings()).containsExactly(Map.entry("app", "1000"));
    assertThat(config.buildArgs()).containsEntry("https_proxy", "http://user-proxy:8080").hasSize(4);
  }

  @Test
  void theUserFileFollowsXdgConfigHome() {
    assertThat(DockerPkgConfig.userFile()).hasFileName("docker-pkg.yaml");
  }

  @Test
  void anAptOnlyProxyIsKept() {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of("http_proxy", "http://a", "apt_only_proxy", "http://b"),
        null, Map.of());
    assertThat(config.aptOnlyProxy()).isEqualTo("http://b");
  }

  @Test
  void aConfigThatIsNotAMappingIsOneLine() throws IOException {
    Path file = Files.writeString(dir.resolve("config.yaml"), "- registry\n- namespace\n");
    assertThatThrownBy(() -> DockerPkgConfig.load(file, null)).isInstanceOf(SpecException.class)
        .hasMessage(file + ":1: docker-pkg's config must be a mapping of keys to values, not a list");
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "registry: [unclosed\n");
    assertThatThrownBy(() -> DockerPkgConfig.load(broken, null)).isInstanceOf(SpecException.class)
        .hasMessageStartingWith(broken + ":2: invalid YAML");
  }

  @Test
  void keysOfTheWrongShapeAreRefusedWithTheirLine() throws IOException {
    Map<String, String> cases = Map.of(
        "registry: [a, b]\n", "'registry' must be a string",
        "base_images: docker-registry.example/bookworm\n", "'base_images' must be a list of image references",
        "known_uid_mappings: [root]\n", "'known_uid_mappings' must be a mapping of user name to uid",
        "force_numeric_user: sometimes\n", "'force_numeric_user' must be true or false",
        "verify_args: -c\n", "'verify_args' must be a list of strings",
        "registry: null\n", "'registry' cannot be null",
        "ca_bundle: /etc/ssl/bundle.pem\n", "'ca_bundle' is not supported by berth");
    for (Map.Entry<String, String> bad : cases.entrySet()) {
      Path file = Files.writeString(dir.resolve("config.yaml"), "# tree config\n" + bad.getKey());
      assertThatThrownBy(() -> DockerPkgConfig.load(file, null)).as(bad.getKey())
          .isInstanceOf(SpecException.class).hasMessageStartingWith(file + ":2: " + bad.getValue());
    }
  }

  @Test
  void otherKeysAreTemplateVariables() {
    DockerPkgConfig config = DockerPkgConfig.of(null, Map.of("colour", "blue", "sizes", List.of(1, 2)), null, Map.of());
    assertThat(config.templateVariables()).containsEntry("colour", "blue").containsEntry("sizes", List.of(1, 2));
  }

  /** docker-pkg's verify runs with env={proxies…, PATH} only (image.py: run_env). */
  @Test
  void theVerifyEnvironmentIsTheProxiesAndPathOnly() throws IOException {
    Path proxied = Files.writeString(dir.resolve("config.yaml"), "http_proxy: http://proxy.test:8080\n");
    assertThat(DockerPkgConfig.load(proxied).verifyEnvironment("/usr/bin:/bin")).isEqualTo(Map.of(
        "http_proxy", "http://proxy.test:8080", "https_proxy", "http://proxy.test:8080",
        "HTTP_PROXY", "http://proxy.test:8080", "HTTPS_PROXY", "http://proxy.test:8080", "PATH", "/usr/bin:/bin"));
    assertThat(DockerPkgConfig.empty().verifyEnvironment("/bin")).isEqualTo(Map.of("PATH", "/bin"));
    assertThat(DockerPkgConfig.empty().verifyEnvironment("")).isEmpty();
    assertThat(DockerPkgConfig.empty().verifyEnvironment(null)).isEmpty();
  }
}
