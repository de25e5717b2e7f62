package dev.berth.oci;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JsonTest {
  @Test
  void canonicalJsonSortsKeysAtEveryLevel() {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("z", 1);
    inner.put("a", 2);
    Map<String, Object> outer = new LinkedHashMap<>();
    outer.put("b", inner);
    outer.put("a", List.of(3));
    assertThat(new String(Json.canonical(outer), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[3],\"b\":{\"a\":2,\"z\":1}}");
  }

  @Test
  void equalManifestsGiveEqualBytesWhateverTheAnnotationOrder() {
    Digest digest = Digest.sha256(new byte[] {1});
    Map<String, String> first = new LinkedHashMap<>();
    first.put("x", "1");
    first.put("a", "2");
    Map<String, String> second = new LinkedHashMap<>();
    second.put("a", "2");
    second.put("x", "1");
    Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, digest, 1);
    byte[] one = new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, List.of(), first).toJson();
    byte[] two = new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, List.of(), second).toJson();
    assertThat(one).isEqualTo(two);
    assertThat(new String(one, StandardCharsets.UTF_8)).startsWith("{\"annotations\":{\"a\":\"2\",\"x\":\"1\"}");
  }

  @Test
  void readsDockerV22ManifestsAndConfigsWithUnknownFields() {
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
        + "\"config\":{\"mediaType\":\"" + MediaTypes.DOCKER_CONFIG + "\",\"size\":7,\"digest\":\"sha256:"
        + "b".repeat(64) + "\"},\"layers\":[{\"mediaType\":\"" + MediaTypes.DOCKER_LAYER_GZIP
        + "\",\"size\":9,\"digest\":\"sha256:" + "c".repeat(64) + "\"}]}";
    ImageManifest parsed = ImageManifest.parse(manifest.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.layers()).hasSize(1);
    assertThat(MediaTypes.isManifest(parsed.effectiveMediaType())).isTrue();
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"docker_version\":\"20.10\","
        + "\"config\":{\"Env\":[\"A=1\"],\"Hostname\":\"x\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
        + "d".repeat(64) + "\"]}}";
    ImageConfig image = ImageConfig.parse(config.getBytes(StandardCharsets.UTF_8));
    assertThat(image.config().env()).containsExactly("A=1");
    assertThat(image.rootfs().diffIds()).hasSize(1);
  }

  @Test
  void invalidJsonIsAClearError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageManifest.parse("{not json".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidContentException.class)
        .hasMessageStartingWith("invalid image manifest JSON (at line 1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImageManifest.parse("{not json".getBytes(StandardCharsets.UTF_8)))
        .message().doesNotContainPattern("[A-Z][a-z]+[A-Z]");
  }
}
