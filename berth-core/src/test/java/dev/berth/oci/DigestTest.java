package dev.berth.oci;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DigestTest {
  @Test
  void hashesAndPrintsLikeTheSpec() {
    Digest digest = Digest.sha256("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(digest.toString())
        .isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
    assertThat(digest.shortHex()).isEqualTo("2cf24dba5fb0");
  }

  @Test
  void refusesMalformedDigests() {
    assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageContaining("invalid sha256 digest");
    assertThatThrownBy(() -> Digest.parse("md5:" + "a".repeat(32))).hasMessageContaining("unsupported");
    assertThatThrownBy(() -> Digest.parse("nocolon")).hasMessageContaining("algorithm:hex");
    assertThatThrownBy(() -> Digest.parse("sha256:" + "A".repeat(64))).hasMessageContaining("invalid");
  }
}
