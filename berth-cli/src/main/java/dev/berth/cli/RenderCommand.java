package dev.berth.cli;

import dev.berth.dockerfile.DockerPkgTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth render [TREE]}: the Dockerfiles a docker-pkg tree's templates render to, as docker-pkg renders them. */
@Command(name = "render", description = "Print the Dockerfiles a docker-pkg tree's templates render to.")
final class RenderCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", defaultValue = ".", paramLabel = "TREE",
      description = "A docker-pkg tree (folders with Dockerfile.template and changelog). Default: the current directory.")
  Path tree;

  @Option(names = {"--config", "-c"}, paramLabel = "FILE",
      description = "docker-pkg's config.yaml (default: the one at the tree's root, if any).")
  Path config;

  @Option(names = "--output-dir", paramLabel = "DIR",
      description = "Write NAME.Dockerfile (or NAME.error) per image into DIR instead of printing ('/' in NAME becomes '-').")
  Path outputDir;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() throws Exception {
    List<String> warnings = new ArrayList<>();
    List<DockerPkgTree.Rendered> rendered = DockerPkgTree.render(tree, config, warnings);
    int failed = 0;
    if (outputDir != null) {
      Files.createDirectories(outputDir);
    }
    for (DockerPkgTree.Rendered image : rendered) {
      failed += image.error() == null ? 0 : 1;
      String safe = image.name().replace('/', '-');
      if (outputDir != null) {
        Path file = outputDir.resolve(safe + (image.error() == null ? ".Dockerfile" : ".error"));
        Files.writeString(file, image.error() == null ? image.dockerfile() : image.error() + "\n", StandardCharsets.UTF_8);
      } else if (image.error() == null) {
        System.out.println("# " + image.name() + ":" + image.version() + " (" + image.template() + ")");
        System.out.println(image.dockerfile());
      } else {
        System.err.println("berth: error: " + image.error());
      }
    }
    warnings.stream().distinct().forEach(warning -> System.err.println("warning: " + warning));
    if (outputDir != null) {
      System.out.printf("%d rendered, %d failed, into %s%n", rendered.size() - failed, failed, outputDir);
    }
    return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
