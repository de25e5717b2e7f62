package dev.berth.api.build;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.engine.BaseImage;
import dev.berth.engine.BuildSettings;
import dev.berth.engine.Builder;
import dev.berth.engine.ImageBuilder;
import dev.berth.engine.PreparedImage;
import dev.berth.event.BuildListener;
import dev.berth.layer.Compression;
import dev.berth.runtime.RunDirectory;
import dev.berth.store.ContentStore;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class BuildersTest {
  @TempDir Path work;

  /** A builder a third party adds by listing it in META-INF/services (this test's resources). */
  public static final class ThirdParty implements BuilderProvider {
    @Override
    public String name() {
      return "kaniko-like";
    }

    @Override
    public int priority() {
      return 5;
    }

    @Override
    public Builders.Availability availability(Map<String, String> environment) {
      return new Builders.Availability(name(), priority(), true, "always here");
    }

    @Override
    public Builder create(BuilderContext context) {
      return new Builder() {
        @Override
        public String name() {
          return "kaniko-like";
        }

        @Override
        public ImageBuilder.BuiltImage build(PreparedImage prepared, BaseImage base) {
          throw new UnsupportedOperationException("a test builder");
        }
      };
    }
  }

  @Test
  void providersComeFromTheServiceLoaderInPriorityOrder() {
    assertThat(Builders.providers()).extracting(BuilderProvider::name).containsExactly("native", "docker", "kaniko-like");
    assertThat(Builders.all(Map.of("PATH", work.toString(), "DOCKER_HOST", "unix://" + work.resolve("none.sock"))))
        .extracting(Builders.Availability::name, Builders.Availability::available)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("native", false),
            org.assertj.core.groups.Tuple.tuple("docker", false),
            org.assertj.core.groups.Tuple.tuple("kaniko-like", true));
  }

  @Test
  void aBuilderIsChosenByNameAndAnUnknownNameListsThemAll() throws Exception {
    ContentStore store = ContentStore.open(work.resolve("store"));
    try (RunDirectory run = RunDirectory.open(store.root(), "runc")) {
      BuildSettings settings = new BuildSettings(Compression.GZIP, 0);
      assertThat(Builders.choose("kaniko-like", store, run, settings, BuildListener.NONE).name()).isEqualTo("kaniko-like");
      assertThat(Builders.choose("native", store, run, settings, BuildListener.NONE).name()).isEqualTo("native");
      assertThatThrownBy(() -> Builders.choose("nope", store, run, settings, BuildListener.NONE))
          .hasMessage("unknown builder 'nope' (berth has: auto, native, docker, kaniko-like)");
    }
  }
}
