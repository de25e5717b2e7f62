package dev.berth.engine.docker;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engine URLs, TLS directories and the PEM key forms openssl writes, read with the JDK alone. */
@Tag("unit")
class EngineEndpointTest {
  @TempDir Path work;

  @Test
  void unixAndTcpUrlsAreReadAndPlainTcpOffLoopbackIsRefused() {
    assertThat(EngineEndpoint.parse("unix:///run/x.sock", null, false, Duration.ofSeconds(1)))
        .isEqualTo(new EngineEndpoint.Unix(Path.of("/run/x.sock")));
    EngineEndpoint tcp = EngineEndpoint.parse("tcp://127.0.0.1:2375", null, false, Duration.ofSeconds(1));
    assertThat(tcp.address()).isEqualTo("tcp://127.0.0.1:2375");
    assertThat(EngineEndpoint.parse("tcp://10.1.2.3:2375", null, true, Duration.ofSeconds(1)).address())
        .isEqualTo("tcp://10.1.2.3:2375");
    assertThatThrownBy(() -> EngineEndpoint.parse("tcp://10.1.2.3:2375", null, false, Duration.ofSeconds(1)))
        .hasMessageStartingWith("tcp://10.1.2.3:2375: plain TCP to an engine off loopback");
    assertThatThrownBy(() -> EngineEndpoint.parse("tcp://host", null, true, Duration.ofSeconds(1)))
        .hasMessageContaining("with the port");
    assertThatThrownBy(() -> EngineEndpoint.parse("ssh://host", null, true, Duration.ofSeconds(1)))
        .hasMessageContaining("unix:///PATH or tcp://HOST:PORT");
    assertThatThrownBy(() -> EngineEndpoint.parse("tcp://127.0.0.1:1", work.resolve("absent"), false,
        Duration.ofSeconds(1))).hasMessageStartingWith("tcp://127.0.0.1:1: ").hasMessageContaining("ca.pem does not exist");
  }

  @Test
  void dockerHostAndTlsVariablesAreHonoured() {
    assertThat(EngineEndpoint.fromEnvironment(Map.of(), false)).isEqualTo(new EngineEndpoint.Unix(EngineEndpoint.DEFAULT_SOCKET));
    assertThat(EngineEndpoint.fromEnvironment(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375"), false).address())
        .isEqualTo("tcp://127.0.0.1:2375");
    assertThatThrownBy(() -> EngineEndpoint.fromEnvironment(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2376",
        "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", work.resolve("none").toString()), false))
        .hasMessageStartingWith("DOCKER_HOST=tcp://127.0.0.1:2376: ");
  }

  @Test
  void anUnreachableEngineIsNamed() {
    DockerEngine engine = DockerEngine.connect("tcp://127.0.0.1:1", null, false, Duration.ofSeconds(2));
    assertThatThrownBy(engine::versionInfo).isInstanceOf(EngineUnavailableException.class)
        .hasMessageStartingWith("tcp://127.0.0.1:1: unreachable");
    assertThat(engine.available()).isFalse();
  }

  @Test
  void pkcs1Pkcs8AndSec1KeysOfRsaAndEcAreRead() throws Exception {
    openssl("genrsa", "-traditional", "-out", "rsa1.pem", "2048");
    openssl("genrsa", "-out", "rsa8.pem", "2048");
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec1.pem");
    openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ec-with-params.pem");
    openssl("pkcs8", "-topk8", "-nocrypt", "-in", "ec1.pem", "-out", "ec8.pem");
    assertThat(Files.readString(work.resolve("rsa1.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readString(work.resolve("ec1.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
    for (String file : List.of("rsa1.pem", "rsa8.pem")) {
      assertThat(PemFiles.privateKey(work.resolve(file)).getAlgorithm()).as(file).isEqualTo("RSA");
    }
    for (String file : List.of("ec1.pem", "ec8.pem", "ec-with-params.pem")) {
      assertThat(PemFiles.privateKey(work.resolve(file)).getAlgorithm()).as(file).isEqualTo("EC");
    }
    // the SEC 1 key wrapped here is the same key openssl's PKCS#8 form holds
    java.security.interfaces.ECPrivateKey sec1 = (java.security.interfaces.ECPrivateKey) PemFiles.privateKey(work.resolve("ec1.pem"));
    java.security.interfaces.ECPrivateKey pkcs8 = (java.security.interfaces.ECPrivateKey) PemFiles.privateKey(work.resolve("ec8.pem"));
    assertThat(sec1.getS()).isEqualTo(pkcs8.getS());
    assertThat(sec1.getParams().getCurve()).isEqualTo(pkcs8.getParams().getCurve());
    openssl("req", "-x509", "-key", "rsa1.pem", "-subj", "/CN=t", "-days", "1", "-out", "cert.pem");
    Files.copy(work.resolve("cert.pem"), work.resolve("ca.pem"));
    Files.copy(work.resolve("rsa1.pem"), work.resolve("key.pem"));
    assertThat(EngineTls.load(work).context()).isNotNull();
    Files.writeString(work.resolve("key.pem"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> EngineTls.load(work)).hasMessageContaining("encrypted key");
  }

  @Test
  void apiVersionsCompareNumerically() {
    assertThat(DockerEngine.compareApi("1.9", "1.40")).isNegative();
    assertThat(DockerEngine.compareApi("1.41", "1.40")).isPositive();
    assertThat(DockerEngine.compareApi("1.40", "1.40")).isZero();
    assertThat(new DockerEngine.EngineVersion("1.13.1", "1.26", "linux", "amd64").supported()).isFalse();
  }

  @Test
  void registryCredentialsTravelOnlyInTheirHeader() {
    EngineImages.RegistryAuth auth = new EngineImages.RegistryAuth("user", "s3cret", "127.0.0.1:5000");
    assertThat(auth.toString()).doesNotContain("s3cret");
    String decoded = new String(Base64.getUrlDecoder().decode(auth.header()), StandardCharsets.UTF_8);
    assertThat(decoded).contains("\"password\":\"s3cret\"").contains("\"serveraddress\":\"127.0.0.1:5000\"");
    assertThat(new String(Base64.getUrlDecoder().decode(EngineImages.RegistryAuth.anonymous("r").header()),
        StandardCharsets.UTF_8)).isEqualTo("{\"serveraddress\":\"r\"}");
  }

  private void openssl(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
  }
}
