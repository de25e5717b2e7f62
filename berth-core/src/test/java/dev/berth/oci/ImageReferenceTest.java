package dev.berth.oci;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
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

  /** Cases from distribution/reference's normalisation (ParseNormalizedNamed + TagNameOnly), as docker pull reads them. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "busybox, docker.io/library/busybox:latest, busybox:latest",
      "busybox:1.36, docker.io/library/busybox:1.36, busybox:1.36",
      "docker.io/library/busybox, docker.io/library/busybox:latest, busybox:latest",
      "index.docker.io/library/busybox, docker.io/library/busybox:latest, busybox:latest",
      "docker.io/busybox, docker.io/library/busybox:latest, busybox:latest",
      "tools/busybox:1, docker.io/tools/busybox:1, tools/busybox:1",
      "library/a/b, docker.io/library/a/b:latest, library/a/b:latest",
      "localhost/x, localhost/x:latest, localhost/x:latest",
      "Host/x, Host/x:latest, Host/x:latest",
      "127.0.0.1:5000/ns/name:t, 127.0.0.1:5000/ns/name:t, 127.0.0.1:5000/ns/name:t",
      "quay.io/ns/name, quay.io/ns/name:latest, quay.io/ns/name:latest",
  })
  void normalisesAsDockerDoes(String written, String normalised, String familiar) {
    ImageReference ref = ImageReference.parseDocker(written);
    assertThat(ref.toString()).isEqualTo(normalised);
    assertThat(ref.familiarName()).isEqualTo(familiar);
  }

  @Test
  void aDigestWithoutTagGetsNoTag() {
    String digest = "sha256:" + "b".repeat(64);
    ImageReference ref = ImageReference.parseDocker("example.org/ns/name@" + digest);
    assertThat(ref.tag()).isNull();
    assertThat(ref.digest().toString()).isEqualTo(digest);
    assertThat(ImageReference.parseDocker("busybox@" + digest).toString())
        .isEqualTo("docker.io/library/busybox@" + digest);
  }

  @ParameterizedTest
  @ValueSource(strings = {"BusyBox", "docker.io/Library/busybox", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "busybox:", "-x"})
  void refusesWhatDockerRefuses(String written) {
    assertThatThrownBy(() -> ImageReference.parseDocker(written))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid image reference '" + written + "'");
  }
}
