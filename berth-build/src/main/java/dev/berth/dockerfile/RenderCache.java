package dev.berth.dockerfile;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rendered docker-pkg templates kept between runs, so that a run whose templates and config have not
 * changed does not start the template engine. An entry is found by a digest of everything a rendering
 * reads: the template's text, the config's template variables (with their types, in order), the
 * images {@code image_tag} can name, and the renderer itself (berth's build and the template engine's
 * version). Only successful renderings are kept, with their filter warnings; a template that
 * could render differently on another run (random values, the date) is never kept.
 *
 * <p>Entries are written atomically (a temporary file moved into place); one that cannot be read is a
 * miss. The cache changes no output: a hit gives the text a rendering gives.
 */
public final class RenderCache {
  /** No cache: every template is rendered. */
  public static final RenderCache NONE = new RenderCache(null);
  /** Templates that use these can render differently each time (Jinja2's random, Jinjava's date functions). */
  private static final List<String> UNSTABLE = List.of("random", "datetime", "format_date", "format_time",
      "unixtimestamp", "today", "strtotime", "fetch");
  private static final int MAGIC = 0x62524332; // "bRC2"

  private final Path directory;

  private RenderCache(Path directory) {
    this.directory = directory;
  }

  /** A cache kept in {@code directory} (made when the first entry is written). */
  public static RenderCache in(Path directory) {
    return new RenderCache(directory);
  }

  /** A rendering: the Dockerfile and what the filters warned about. */
  public record Entry(String dockerfile, List<TemplateWarning> warnings) {
    public Entry {
      warnings = List.copyOf(warnings);
    }
  }

  /** What one tree's renderings are keyed by besides each template's text. */
  public final class Scope {
    private final byte[] prefix;

    private Scope(byte[] prefix) {
      this.prefix = prefix;
    }

    /** The key of {@code text}, or empty when it must be rendered every time (no cache, or an unstable template). */
    public Optional<String> key(String text) {
      if (directory == null || unstable(text)) {
        return Optional.empty();
      }
      MessageDigest digest = sha256();
      digest.update(prefix);
      digest.update(text.getBytes(StandardCharsets.UTF_8));
      return Optional.of(HexFormat.of().formatHex(digest.digest()));
    }

    /** The entry kept under {@code key}, if there is a readable one. */
    public Optional<Entry> get(String key) {
      Path file = directory.resolve(key);
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
        if (in.readInt() != MAGIC) {
          return Optional.empty();
        }
        String dockerfile = readString(in);
        int count = in.readInt();
        List<TemplateWarning> warnings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          warnings.add(readWarning(in));
        }
        return in.readInt() == MAGIC ? Optional.of(new Entry(dockerfile, warnings)) : Optional.empty();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }

    /** Keeps {@code entry} under {@code key}; a cache that cannot be written is only slower. */
    public void put(String key, Entry entry) {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(MAGIC);
        writeString(out, entry.dockerfile());
        out.writeInt(entry.warnings().size());
        for (TemplateWarning warning : entry.warnings()) {
          writeWarning(out, warning);
        }
        out.writeInt(MAGIC);
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, ".tmp-", "");
        try {
          Files.write(temp, bytes.toByteArray());
          Files.move(temp, directory.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        // not kept: the next run renders again
      }
    }
  }

  /** Whether an expression or statement of the template ({@code {{ … }}}, {@code {% … %}}) names an unstable function. */
  static boolean unstable(String text) {
    int at = 0;
    while (true) {
      int expression = text.indexOf("{{", at);
      int statement = text.indexOf("{%", at);
      int start = expression < 0 ? statement : statement < 0 ? expression : Math.min(expression, statement);
      if (start < 0) {
        return false;
      }
      int end = text.indexOf(start == expression ? "}}" : "%}", start + 2);
      String code = text.substring(start + 2, end < 0 ? text.length() : end);
      if (UNSTABLE.stream().anyMatch(code::contains)) {
        return true;
      }
      if (end < 0) {
        return false;
      }
      at = end + 2;
    }
  }

  /** The scope of a tree read with {@code config}, where {@code image_tag} can name {@code knownImages}. */
  public Scope scope(DockerPkgConfig config, List<String> knownImages) {
    if (directory == null) {
      return new Scope(new byte[0]);
    }
    StringBuilder out = new StringBuilder("berth-render-1\n");
    out.append(System.getProperty("java.version")).append('\n');
    canonical(config.templateVariables(), out);
    out.append('\n');
    canonical(knownImages, out);
    out.append('\n');
    MessageDigest digest = sha256();
    digest.update(out.toString().getBytes(StandardCharsets.UTF_8));
    digest.update(RendererIdentity.BYTES);
    return new Scope(digest.digest());
  }

  /** The renderer's identity, worked out once per process (the jar does not change under a running JVM). */
  private static final class RendererIdentity {
    static final byte[] BYTES = rendererIdentity();
  }

  /** Every value with its type: {@code 1} and {@code "1"}, or two maps in another order, differ. */
  static void canonical(Object value, StringBuilder out) {
    if (value == null) {
      out.append("N;");
    } else if (value instanceof Map<?, ?> map) {
      out.append("M").append(map.size()).append('{');
      map.forEach((key, item) -> {
        canonical(key, out);
        canonical(item, out);
      });
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append("L").append(list.size()).append('[');
      list.forEach(item -> canonical(item, out));
      out.append(']');
    } else {
      String text = String.valueOf(value);
      out.append(value.getClass().getName()).append(':').append(text.length()).append(':').append(text);
    }
  }

  /**
   * Which renderer this is: the jar berth runs from (its path, size and time: every build of berth is
   * another), or, run from class folders, the bytes of this package's classes; and the template
   * engine's version. Read without loading the template engine.
   */
  private static byte[] rendererIdentity() {
    MessageDigest digest = sha256();
    try {
      Path code = Path.of(RenderCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(code)) {
        digest.update((code.toAbsolutePath() + "\n" + Files.size(code) + "\n"
            + Files.getLastModifiedTime(code).toMillis()).getBytes(StandardCharsets.UTF_8));
      } else {
        Path classes = code.resolve(RenderCache.class.getPackageName().replace('.', '/'));
        try (var files = Files.list(classes)) {
          for (Path file : files.sorted().toList()) {
            digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            digest.update(Files.readAllBytes(file));
          }
        }
      }
      try (InputStream in = RenderCache.class.getResourceAsStream(
          "/META-INF/maven/com.hubspot.jinjava/jinjava/pom.properties")) {
        digest.update(in == null ? new byte[0] : in.readAllBytes());
      }
    } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
      // no identity, no reuse: a random scope
      digest.update(java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
    }
    return digest.digest();
  }

  private static void writeString(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** A warning as its kind and fields; a new kind is a new tag. */
  private static void writeWarning(DataOutputStream out, TemplateWarning warning) throws IOException {
    if (warning instanceof TemplateWarning.UnmappedUser unmapped) {
      writeString(out, "unmappedUser");
      writeString(out, unmapped.user());
    }
  }

  private static TemplateWarning readWarning(DataInputStream in) throws IOException {
    String kind = readString(in);
    if (kind.equals("unmappedUser")) {
      return new TemplateWarning.UnmappedUser(readString(in));
    }
    throw new IOException("unknown warning kind " + kind);
  }

  private static String readString(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 64 << 20) {
      throw new IOException("bad length");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
