package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  @Test
  void parsesRegistryRepositoryTagAndDigest() {
    String digest = "sha256:" + "a".repeat(64);
    ImageReference ref = ImageReference.parse("127.0.0.1:5000/team/web:1.2@" + digest);
    assertThat(ref.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(ref.repository()).isEqualTo("team/web");
    assertThat(ref.tag()).isEqualTo("1.2");
    assertThat(ref.digest()).isEqualTo(Digest.parse(digest));
    assertThat(ref.manifestReference()).isEqualTo(digest);
    assertThat(ref.toString()).isEqualTo("127.0.0.1:5000/team/web:1.2@" + digest);
  }

  @Test
  void aNameWithoutHostIsLocal() {
    ImageReference ref = ImageReference.parse("examples/busybox");
    assertThat(ref.registry()).isNull();
    assertThat(ref.repository()).isEqualTo("examples/busybox");
    assertThat(ref.localName()).isEqualTo("examples/busybox:latest");
    assertThat(ImageReference.parse("localhost/x:1").registry()).isEqualTo("localhost");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "UPPER/case:1", "web:-bad", "web:" + "t", "a//b", "web:tag with space", "-web"})
  void refusesInvalidReferences(String text) {
    if (text.equals("web:t")) {
      assertThat(ImageReference.parse(text).tag()).isEqualTo("t");
      return;
    }
    assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tagsLongerThan128AreRefused() {
    assertThat(ImageReference.isValidTag("a".repeat(128))).isTrue();
    assertThat(ImageReference.isValidTag("a".repeat(129))).isFalse();
  }
}
