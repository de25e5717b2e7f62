package example;

import dev.berth.api.Berth;
import dev.berth.api.ImageResult;
import dev.berth.api.ImageSpec;
import dev.berth.api.RunResult;
import java.nio.file.Path;

/**
 * Builds a tree of three images with berth's Java API and publishes it: a Debian base, jq installed
 * with apt on it, and an app copied on top. Prints {@code NAME KEY DIGEST} per image.
 *
 * <p>Usage: {@code PublishTree HOST:PORT/NAMESPACE [BASE] [SOURCE]}; BASE defaults to
 * {@code examples/debian:bookworm} (a store name, see ./run), SOURCE to this example's folder.
 */
public final class PublishTree {
  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: PublishTree HOST:PORT/NAMESPACE [BASE] [SOURCE]");
      System.exit(2);
    }
    String registry = args[0];
    String baseImage = args.length > 1 ? args[1] : "examples/debian:bookworm";
    Path source = Path.of(args.length > 2 ? args[2] : ".");

    ImageSpec base = ImageSpec.builder("java-api/base").base(baseImage)
        .env("LANG", "C.UTF-8")
        .label("org.opencontainers.image.source", "https://example.org/berth/examples/java-api")
        .build();
    ImageSpec tools = ImageSpec.builder("java-api/tools").base(base)
        .aptPackages("jq")
        .verify("jq --version")
        .build();
    ImageSpec app = ImageSpec.builder("java-api/app").base(tools)
        .sourceRoot(source)
        .copy(new ImageSpec.Copy("app/", "/srv/app", null, "0755"))
        .entrypoint("/srv/app/hello.sh")
        .verify("/srv/app/hello.sh")
        .build();

    try (Berth berth = Berth.defaultStore().registry(registry)) {
      RunResult result = berth.publish(app);
      for (ImageResult image : result.images()) {
        if (image.failed()) {
          System.err.println(image.name() + ": " + image.state() + ": " + image.cause());
        } else {
          System.out.println(image.name() + " " + image.key() + " " + image.digest());
        }
      }
      if (!result.succeeded()) {
        System.exit(1);
      }
    }
  }
}
