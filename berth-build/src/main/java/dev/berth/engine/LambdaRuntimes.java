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

  /** The base image reference for {@code runtime} on {@code arch}, under {@code prefix}. */
  public static String baseImage(String runtime, String arch, String prefix) {
    ociArchitecture(arch);
    Runtime parsed = parse(runtime);
    String tag = parsed.family().equals("provided") && parsed.version().equals("alami")
        ? "alami" : parsed.version() + "-" + arch;
    return (prefix.endsWith("/") ? prefix : prefix + "/") + parsed.family() + ":" + tag;
  }
}
