package dev.berth.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --output is read by the one location parser every command uses, and takes only what it can write. */
@Tag("unit")
class ImageOutputTest {
  @Test
  void ociLayoutWithAndWithoutTag(@TempDir Path temp) {
    assertThat(ImageOutput.parse("oci:" + temp + "/out:v1")).isEqualTo(new ImageOutput.OciLayout(temp.resolve("out"), "v1"));
    assertThat(ImageOutput.parse("oci:out")).isEqualTo(new ImageOutput.OciLayout(Path.of("out"), "latest"));
  }

  @Test
  void dockerArchiveInAnExistingDirectory(@TempDir Path temp) {
    assertThat(ImageOutput.parse("docker-archive:" + temp + "/a.tar"))
        .isEqualTo(new ImageOutput.DockerArchiveFile(temp.resolve("a.tar")));
    assertThatThrownBy(() -> ImageOutput.parse("docker-archive:" + temp + "/missing/a.tar"))
        .hasMessage("invalid --output 'docker-archive:" + temp + "/missing/a.tar': the directory " + temp
            + "/missing does not exist");
  }

  @Test
  void oneLineErrorsNamingTheOption() {
    assertThatThrownBy(() -> ImageOutput.parse("oci:")).hasMessage("invalid --output 'oci:': oci: needs a DIR");
    assertThatThrownBy(() -> ImageOutput.parse("oci:dir:")).hasMessage("invalid --output 'oci:dir:': empty tag after ':'");
    assertThatThrownBy(() -> ImageOutput.parse("tarball:x"))
        .hasMessage("invalid --output 'tarball:x': oci:DIR[:TAG] or docker-archive:FILE");
    assertThatThrownBy(() -> ImageOutput.parse("docker://registry.example/app:1"))
        .hasMessage("invalid --output 'docker://registry.example/app:1': oci:DIR[:TAG] or docker-archive:FILE");
  }

  @Test
  void onlyAnOciLayoutHoldsAMultiPlatformIndex(@TempDir Path temp) {
    assertThat(ImageOutput.parse("oci:" + temp + "/out:v1").holdsIndexes()).isTrue();
    assertThat(ImageOutput.parse("docker-archive:" + temp + "/a.tar").holdsIndexes()).isFalse();
  }
}
