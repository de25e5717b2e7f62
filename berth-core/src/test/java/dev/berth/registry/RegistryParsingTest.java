package dev.berth.registry;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Image locations, challenges, Range headers, retry timing, credentials' text. */
@Tag("unit")
class RegistryParsingTest {
  @Test
  void imageLocationsInSkopeoSyntax() {
    assertThat(ImageLocation.parse("docker://127.0.0.1:5000/team/app:1"))
        .isInstanceOfSatisfying(ImageLocation.RegistryLocation.class,
            r -> assertThat(r.reference().toString()).isEqualTo("127.0.0.1:5000/team/app:1"));
    assertThat(ImageLocation.parse("registry.example.org/app:2")).isInstanceOf(ImageLocation.RegistryLocation.class);
    assertThat(ImageLocation.parse("app:2")).isInstanceOfSatisfying(ImageLocation.StoreLocation.class,
        s -> assertThat(s.reference().localName()).isEqualTo("app:2"));
    assertThat(ImageLocation.parse("oci:/tmp/layout:v1"))
        .isEqualTo(new ImageLocation.OciLayoutLocation(Path.of("/tmp/layout"), "v1"));
    assertThat(ImageLocation.parse("oci:out/dir"))
        .isEqualTo(new ImageLocation.OciLayoutLocation(Path.of("out/dir"), "latest"));
    assertThat(ImageLocation.parse("docker-archive:/tmp/a.tar"))
        .isEqualTo(new ImageLocation.DockerArchiveLocation(Path.of("/tmp/a.tar")));
  }

  @Test
  void malformedLocationsAreRefusedWithTheText() {
    assertThatThrownBy(() -> ImageLocation.parse("docker://app:1")).hasMessageContaining("needs a registry host");
    assertThatThrownBy(() -> ImageLocation.parse("Host.example/UPPER:1")).hasMessageContaining("Host.example/UPPER:1");
    assertThatThrownBy(() -> ImageLocation.parse("ftp://x/y")).hasMessageContaining("unknown transport 'ftp'");
    assertThatThrownBy(() -> ImageLocation.parse("oci:")).hasMessageContaining("needs a DIR");
    assertThatThrownBy(() -> ImageLocation.parse("example.org/app:bad tag")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bearerAndBasicChallenges() {
    AuthChallenge bearer = AuthChallenge.parse(
        "Bearer realm=\"https://auth.example/token\",service=\"registry\",scope=\"repository:a/b:pull,push\"").orElseThrow();
    assertThat(bearer.scheme()).isEqualTo(AuthChallenge.Scheme.BEARER);
    assertThat(bearer.parameter("realm")).isEqualTo("https://auth.example/token");
    assertThat(bearer.parameter("scope")).isEqualTo("repository:a/b:pull,push");
    assertThat(AuthChallenge.parse("Basic realm=\"x\"").orElseThrow().scheme()).isEqualTo(AuthChallenge.Scheme.BASIC);
    assertThat(AuthChallenge.parse("Negotiate abc")).isEmpty();
    assertThat(AuthChallenge.parse("Bearer service=\"x\"")).as("a bearer challenge needs a realm").isEmpty();
  }

  @Test
  void uploadRangesGiveTheNextOffset() {
    assertThat(BlobPusher.offsetAfter("0-1023")).isEqualTo(1024);
    assertThat(BlobPusher.offsetAfter("bytes=0-99")).isEqualTo(100);
    assertThat(BlobPusher.offsetAfter("0-0")).isZero();
    assertThatThrownBy(() -> BlobPusher.offsetAfter("garbage")).hasMessageContaining("invalid Range header");
  }

  @Test
  void retriesBackOffExponentiallyWithinBoundsAndHonourRetryAfter() {
    RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1));
    for (int attempt = 1; attempt <= 4; attempt++) {
      long ceiling = Math.min(1000, 100L << (attempt - 1));
      assertThat(policy.delayBefore(attempt, Optional.empty()).toMillis()).isBetween(ceiling / 2, ceiling);
    }
    assertThat(policy.delayBefore(9, Optional.empty())).isLessThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(policy.delayBefore(1, Optional.of(Duration.ofMillis(700)))).isEqualTo(Duration.ofMillis(700));
    assertThat(policy.delayBefore(1, Optional.of(Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.hasAttemptsLeft(4)).isTrue();
    assertThat(policy.hasAttemptsLeft(5)).isFalse();
    assertThat(policy.isRetryableStatus(503)).isTrue();
    assertThat(policy.isRetryableStatus(429)).isTrue();
    assertThat(policy.isRetryableStatus(404)).isFalse();
    assertThat(policy.isRetryableStatus(501)).isFalse();
    assertThat(policy.isRetryableFailure(new java.net.SocketException("Connection reset"))).isTrue();
    assertThat(policy.isRetryableFailure(new RegistryException("no", 400))).isFalse();
    ZonedDateTime now = ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    assertThat(RetryPolicy.parseRetryAfter("3", now)).contains(Duration.ofSeconds(3));
    assertThat(RetryPolicy.parseRetryAfter("Mon, 01 Jan 2024 00:00:07 GMT", now)).contains(Duration.ofSeconds(7));
    assertThat(RetryPolicy.parseRetryAfter("soon", now)).isEmpty();
  }

  @Test
  void credentialsNeverShowTheirSecret() {
    Credentials credentials = Credentials.parse("alice:pa:ss");
    assertThat(credentials.secret()).isEqualTo("pa:ss");
    assertThat(credentials.toString()).doesNotContain("pa:ss").contains("alice");
    assertThatThrownBy(() -> Credentials.parse("nocolon")).hasMessage("credentials must be USER:PASSWORD");
  }
}
