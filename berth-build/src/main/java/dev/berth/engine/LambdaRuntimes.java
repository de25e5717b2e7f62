package dev.berth.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lambda runtime names to their base images, as SAM CLI maps them: {@code python3.12} on x86_64 is
 * {@code PREFIX/python:3.12-x86_64}, {@code nodejs20.x} on arm64 is {@code PREFIX/nodejs:20-arm64},
 * {@code provided.al2} is {@code PREFIX/provided:al2-ARCH}.
 */
public final class LambdaRuntimes {
  public static final String DEFAULT_PREFIX = "public.ecr.aws/lambda";

  private static final Pattern VERSIONED = Pattern.compile("(python|ruby)(\\d+\\.\\d+)");
  private static final Pattern NODE = Pattern.compile("nodejs(\\d+)\\.x");
  private static final Pattern JAVA = Pattern.compile("java(\\d+)(\\.al2)?");
  private static final Pattern DOTNET = Pattern.compile("dotnet(\\d+)");
  private static final Pattern PROVIDED = Pattern.compile("provided(?:\\.(al2|al2023))?");

  private LambdaRuntimes() {}

  /** The image name ({@code python}) and tag version ({@code 3.12}) of a runtime. */
  public record Runtime(String family, String version) {}

  public static Runtime parse(String runtime) {
    String name = runtime.trim().toLowerCase(Locale.ROOT);
    Matcher matcher;
    if ((matcher = VERSIONED.matcher(name)).matches()) {
      return new Runtime(matcher.group(1), matcher.group(2));
    }
    if ((matcher = NODE.matcher(name)).matches()) {
      return new Runtime("nodejs", matcher.group(1));
    }
    if ((matcher = JAVA.matcher(name)).matches()) {
      return new Runtime("java", matcher.group(1) + (matcher.group(2) == null ? "" : ".al2"));
    }
    if ((matcher = DOTNET.matcher(name)).matches()) {
      return new Runtime("dotnet", matcher.group(1));
    }
    if ((matcher = PROVIDED.matcher(name)).matches()) {
      return new Runtime("provided", matcher.group(1) == null ? "alami" : matcher.group(1));
    }
    throw new IllegalArgumentException("unknown Lambda runtime '" + runtime
        + "' (python3.X, nodejsNN.x, javaNN, rubyX.Y, dotnetN, provided, provided.al2, provided.al2023)");
  }

  /** {@code x86_64} or {@code arm64}, and the OCI architecture it means. */
  public static String ociArchitecture(String arch) {
    return switch (arch) {
      case "x86_64" -> "amd64";
      case "arm64" -> "arm64";
      default -> throw new IllegalArgumentException("unknown architecture '" + arch + "': x86_64 or arm64");
    };
  }

  /**
   * The base image reference for {@code runtime} on {@code arch}, under {@code prefix}: the tag names
   * the architecture when the runtime has more than one, as SAM's {@code get_image_name_tag} does.
   */
  public static String baseImage(String runtime, String arch, String prefix) {
    ociArchitecture(arch);
    Runtime parsed = parse(runtime);
    if (!multiArchitecture(parsed)) {
      if (!arch.equals("x86_64")) {
        throw new IllegalArgumentException("runtime " + runtime + " is not supported on '" + arch
            + "' architecture (x86_64 only, as in SAM; provided.al2 and provided.al2023 have arm64)");
      }
      return repository(parsed, prefix) + ":" + parsed.version();
    }
    return repository(parsed, prefix) + ":" + parsed.version() + "-" + arch;
  }

  /**
   * The runtime's tag that names no architecture ({@code PREFIX/python:3.12}): a multi-platform index
   * holding an image per architecture, where {@code arch}'s base is looked up when the runtime has no
   * tag for it.
   */
  public static String indexImage(String runtime, String prefix) {
    Runtime parsed = parse(runtime);
    return repository(parsed, prefix) + ":" + parsed.version();
  }

  /** Whether the runtime has an image per architecture (all but {@code provided} on Amazon Linux 1). */
  private static boolean multiArchitecture(Runtime runtime) {
    return !(runtime.family().equals("provided") && runtime.version().equals("alami"));
  }

  private static String repository(Runtime runtime, String prefix) {
    return (prefix.endsWith("/") ? prefix : prefix + "/") + runtime.family();
  }
}
