package dev.berth.engine;

import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.text.ErrorText;
import java.io.IOException;

/**
 * Where {@code berth layered} takes a Lambda runtime's base for an architecture from: the runtime's
 * tag for it ({@code PREFIX/python:3.12-arm64}), as SAM pulls it; when there is no such tag, the
 * architecture's image in the runtime's multi-platform index ({@code PREFIX/python:3.12}). Either may be
 * an index itself: the image for the architecture is chosen from it.
 */
public final class LambdaBase {
  private LambdaBase() {}

  /** The platform of a Lambda architecture ({@code x86_64} → linux/amd64, {@code arm64} → linux/arm64). */
  public static Platform platform(String arch) {
    return new Platform("linux", LambdaRuntimes.ociArchitecture(arch), null);
  }

  public static BaseImage resolve(BaseResolver resolver, String runtime, String arch, String prefix, String created)
      throws IOException {
    Platform platform = platform(arch);
    String tagged = LambdaRuntimes.baseImage(runtime, arch, prefix);
    try {
      return resolver.resolve(tagged, platform, created);
    } catch (BuildException missing) {
      String index = LambdaRuntimes.indexImage(runtime, prefix);
      if (index.equals(tagged) || resolver.findInStore(ImageReference.parseDocker(tagged)).isPresent()) {
        throw missing;  // the tag is there and unusable (another architecture): said as it is
      }
      try {
        return resolver.resolve(index, platform, created);
      } catch (BuildException | IOException e) {
        throw new BuildException(missing.getMessage() + "; nor does the runtime's index " + index + " give one ("
            + ErrorText.of(e) + ")", missing);
      }
    }
  }
}
