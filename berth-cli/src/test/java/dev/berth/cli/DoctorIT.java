package dev.berth.cli;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.oci.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@code berth doctor} on this machine (root, runc, overlayfs, attr and dockerd are here), and with runc taken away. */
@Tag("integration")
@Tag("dockerd")
@ResourceLock(SharedResources.DOCKER_ENGINE)
@Tag("runc")
class DoctorIT {
  @TempDir Path work;

  private static Map<String, JsonNode> checks(Berth.Result result) {
    Map<String, JsonNode> out = new HashMap<>();
    Json.tree(result.stdout().getBytes(StandardCharsets.UTF_8)).get("checks")
        .forEach(check -> out.put(check.get("name").asText(), check));
    return out;
  }

  @Test
  void thisMachineHasWhatTheBuildersNeed() throws Exception {
    Berth.Result result = new Berth(work.resolve("store")).run("doctor", "--output", "json").succeeded();
    Map<String, JsonNode> checks = checks(result);
    assertThat(checks).containsKeys("root", "runc", "overlayfs", "attr", "docker", "qemu-binfmt", "disk");
    for (String name : new String[] {"root", "runc", "overlayfs", "attr", "docker", "disk"}) {
      assertThat(checks.get(name).get("ok").asBoolean()).as("%s: %s", name, checks.get(name)).isTrue();
    }
    assertThat(checks.get("docker").get("detail").asText()).startsWith("Docker engine ");
  }

  @Test
  void withoutRuncOnPathItSaysWhatToInstallAndFails() throws Exception {
    Path bin = Files.createDirectories(work.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("getfattr"), Path.of("/usr/bin/getfattr"));
    Berth berth = new Berth(work.resolve("store"), Map.of("PATH", bin.toString(),
        "DOCKER_HOST", "unix://" + work.resolve("no-engine.sock")));
    Berth.Result json = berth.run("doctor", "--output", "json");
    assertThat(json.exitCode()).isEqualTo(1);
    Map<String, JsonNode> checks = checks(json);
    assertThat(checks.get("runc").get("ok").asBoolean()).isFalse();
    assertThat(checks.get("runc").get("fix").asText()).isEqualTo("apt-get install runc");
    assertThat(checks.get("docker").get("ok").asBoolean()).isFalse();
    assertThat(checks.get("docker").get("required").asBoolean()).isFalse();
    Berth.Result text = berth.run("doctor");
    assertThat(text.exitCode()).isEqualTo(1);
    assertThat(text.stdout()).containsPattern("missing +runc +runc is not on PATH")
        .contains("fix: apt-get install runc")
        .containsPattern("missing +docker +no Docker engine answers at .*no-engine.sock \\(optional: ");
    assertThat(berth.run("doctor", "--output", "yaml").exitCode()).as("a usage error").isEqualTo(2);
  }
}
