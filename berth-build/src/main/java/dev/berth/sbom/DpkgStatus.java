package dev.berth.sbom;

import dev.berth.oci.InvalidContentException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * dpkg's database of installed packages ({@code /var/lib/dpkg/status}): RFC 822-style paragraphs of
 * {@code Field: value} lines with indented continuation lines. Only packages whose {@code Status}
 * ends in {@code installed} count.
 */
public record DpkgStatus(SortedMap<String, DpkgPackage> packages) {
  public static final String PATH = "var/lib/dpkg/status";
  private static final java.util.regex.Pattern FIELD_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  public DpkgStatus {
    packages = Collections.unmodifiableSortedMap(new TreeMap<>(packages));
  }

  public static DpkgStatus empty() {
    return new DpkgStatus(new TreeMap<>());
  }

  /**
   * Parses a status file; {@code where} names it in errors ("base debian:bookworm"), which say the line.
   *
   * @throws InvalidContentException when a line is neither a field nor a continuation, or a paragraph
   *     lacks Package or Version
   */
  public static DpkgStatus parse(String text, String where) {
    SortedMap<String, DpkgPackage> out = new TreeMap<>();
    Map<String, String> fields = new LinkedHashMap<>();
    int paragraphStart = 1;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i <= lines.length; i++) {
      String line = i < lines.length ? lines[i] : "";
      int lineNumber = i + 1;
      if (line.isBlank()) {
        if (!fields.isEmpty()) {
          add(fields, out, where, paragraphStart);
          fields.clear();
        }
        paragraphStart = lineNumber + 1;
        continue;
      }
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (fields.isEmpty()) {
          throw malformed(where, lineNumber, "a continuation line with no field before it");
        }
        continue;  // descriptions and conffiles: not needed for an SBOM
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !FIELD_NAME.matcher(line.substring(0, colon)).matches()) {
        throw malformed(where, lineNumber, "expected 'Field: value', got '" + abbreviate(line) + "'");
      }
      fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
    }
    return new DpkgStatus(out);
  }

  private static void add(Map<String, String> fields, SortedMap<String, DpkgPackage> out, String where, int line) {
    String name = fields.get("Package");
    if (name == null || name.isEmpty()) {
      throw malformed(where, line, "a paragraph without a Package field");
    }
    String status = fields.getOrDefault("Status", "");
    if (!status.endsWith(" installed")) {
      return;
    }
    String version = fields.get("Version");
    if (version == null || version.isEmpty()) {
      throw malformed(where, line, "package " + name + " has no Version");
    }
    String source = fields.getOrDefault("Source", name);
    int space = source.indexOf(' ');  // "Source: openssl (3.0.11-1)"
    source = space < 0 ? source : source.substring(0, space);
    String architecture = fields.get("Architecture");
    String key = architecture == null ? name : name + ":" + architecture;
    out.put(key, new DpkgPackage(name, version, architecture, source));
  }

  private static InvalidContentException malformed(String where, int line, String what) {
    return new InvalidContentException(where + ": " + PATH + ":" + line + ": malformed dpkg status: " + what);
  }

  private static String abbreviate(String line) {
    return line.length() > 60 ? line.substring(0, 60) + "…" : line;
  }

  /** The packages of {@code after} that are not in this status, or are there with another version. */
  public SortedMap<String, DpkgPackage> addedOrChangedIn(DpkgStatus after) {
    SortedMap<String, DpkgPackage> out = new TreeMap<>();
    after.packages.forEach((key, pkg) -> {
      DpkgPackage before = packages.get(key);
      if (before == null || !before.version().equals(pkg.version())) {
        out.put(key, pkg);
      }
    });
    return out;
  }
}
