package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json auths, credsStore and credHelpers, with real helper scripts. */
@Tag("unit")
class DockerCredentialsTest {
  @TempDir Path temp;

  private Path helper(String name, String user, String secret) throws Exception {
    Path bin = temp.resolve("bin");
    Files.createDirectories(bin);
    Path script = bin.resolve("docker-credential-" + name);
    Files.writeString(script, "#!/bin/sh\n[ \"$1\" = get ] || exit 2\nread host\n"
        + "case \"$host\" in\n  helped.example:5000) printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user
        + "\",\"Secret\":\"" + secret + "\"}' \"$host\" ;;\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void readsBase64AuthsWhateverTheKeyLooksLike() throws Exception {
    String auth = Base64.getEncoder().encodeToString("bob:hunter:2".getBytes(StandardCharsets.UTF_8));
    Files.writeString(temp.resolve("config.json"), "{\"auths\":{\"https://reg.example:5000/v1/\":{\"auth\":\""
        + auth + "\"}}}");
    DockerCredentials credentials = DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", temp.toString()));
    assertThat(credentials.lookup("reg.example:5000")).contains(new Credentials("bob", "hunter:2"));
    assertThat(credentials.lookup("other.example")).isEmpty();
  }

  @Test
  void credHelpersWinOverAuthsAndCredsStoreCoversTheRest() throws Exception {
    Path bin = helper("berthtest", "helper-user", "helper-secret");
    Files.writeString(temp.resolve("config.json"), "{\"credsStore\":\"berthtest\","
        + "\"credHelpers\":{\"helped.example:5000\":\"berthtest\"},"
        + "\"auths\":{\"helped.example:5000\":{\"auth\":\"" + Base64.getEncoder().encodeToString("x:y".getBytes()) + "\"}}}");
    DockerCredentials credentials = DockerCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", temp.toString(),
        "PATH", bin.toString()));
    assertThat(credentials.lookup("helped.example:5000")).contains(new Credentials("helper-user", "helper-secret"));
    assertThat(credentials.lookup("unknown.example")).as("the helper says it has none").isEmpty();
  }

  @Test
  void aMissingHelperIsAClearError() throws Exception {
    Files.writeString(temp.resolve("config.json"), "{\"credsStore\":\"absent\"}");
    DockerCredentials credentials = new DockerCredentials(temp.resolve("config.json"), name -> Optional.empty());
    assertThatThrownBy(() -> credentials.lookup("x.example")).hasMessage("credential helper docker-credential-absent not found");
  }

  @Test
  void noConfigMeansNoCredentials() throws Exception {
    DockerCredentials credentials = new DockerCredentials(temp.resolve("absent.json"), name -> Optional.empty());
    assertThat(credentials.lookup("x.example")).isEmpty();
  }
}
