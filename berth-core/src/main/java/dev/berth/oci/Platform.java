package dev.berth.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** An OS/architecture pair such as {@code linux/amd64} or {@code linux/arm64/v8}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Platform(
    @JsonProperty("os") String os,
    @JsonProperty("architecture") String architecture,
    @JsonProperty("variant") String variant) {

  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);

  public Platform {
    if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException("a platform needs an os and an architecture");
    }
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String text) {
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/", -1);
    if (parts.length >= 2) {  // as containerd normalizes: aarch64 is arm64, x86_64 is amd64
      parts[1] = switch (parts[1]) {
        case "aarch64" -> "arm64";
        case "x86_64", "x86-64" -> "amd64";
        default -> parts[1];
      };
    }
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException("invalid platform '" + text + "': expected os/arch[/variant]");
    }
    if (!OPERATING_SYSTEMS.contains(parts[0])) {
      throw new IllegalArgumentException("invalid platform '" + text + "': unknown operating system '" + parts[0]
          + "' (" + String.join(", ", new java.util.TreeSet<>(OPERATING_SYSTEMS)) + ")");
    }
    if (!ARCHITECTURES.contains(parts[1])) {
      throw new IllegalArgumentException("invalid platform '" + text + "': unknown architecture '" + parts[1]
          + "' (" + String.join(", ", new java.util.TreeSet<>(ARCHITECTURES)) + ")");
    }
    if (parts.length == 3 && parts[2].isEmpty()) {
      throw new IllegalArgumentException("invalid platform '" + text + "': empty variant");
    }
    String variant = parts.length == 3 ? parts[2] : null;
    if ("arm64".equals(parts[1]) && "v8".equals(variant) || "amd64".equals(parts[1]) && "v1".equals(variant)) {
      variant = null;  // the default variant, which index descriptors leave out
    }
    return new Platform(parts[0], parts[1], variant);
  }

  /** GOOS and GOARCH values, as the OCI image spec names platforms. */
  private static final java.util.Set<String> OPERATING_SYSTEMS = java.util.Set.of("linux", "windows", "darwin",
      "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "plan9", "js", "wasip1");
  private static final java.util.Set<String> ARCHITECTURES = java.util.Set.of("amd64", "arm64", "arm", "386",
      "ppc64le", "ppc64", "s390x", "riscv64", "mips", "mipsle", "mips64", "mips64le", "loong64", "wasm");

  /** The platform of the machine berth runs on. */
  public static Platform host() {
    String arch = System.getProperty("os.arch");
    return new Platform("linux", switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    }, null);
  }

  /** Whether an index entry for {@code candidate} serves this platform (a missing variant matches any). */
  public boolean matches(Platform candidate) {
    return os.equals(candidate.os) && architecture.equals(candidate.architecture)
        && (variant == null || candidate.variant == null || variant.equals(candidate.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
