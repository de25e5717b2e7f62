package dev.berth.dockerfile;

import dev.berth.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A docker-pkg image's Debian-style {@code control} file: the entries of its Depends and Build-Depends, as docker-pkg splits them. */
record ControlFile(Path file, Set<String> depends) {
  static final String FILE_NAME = "control";

  ControlFile {
    depends = Set.copyOf(depends);
  }

  static Optional<ControlFile> read(Path folder) {
    Path file = folder.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    List<String> lines = dev.berth.text.TextFiles.readLines(file);
    Set<String> depends = new TreeSet<>();
    String field = null;
    StringBuilder value = new StringBuilder();
    for (String line : lines) {
      if (!line.isEmpty() && Character.isWhitespace(line.charAt(0)) && field != null) {
        value.append(' ').append(line.strip());
        continue;
      }
      collect(field, value, depends);
      field = null;
      value.setLength(0);
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        field = line.substring(0, colon).strip();
        value.append(line.substring(colon + 1).strip());
      }
    }
    collect(field, value, depends);
    return Optional.of(new ControlFile(file, depends));
  }

  private static void collect(String field, CharSequence value, Set<String> depends) {
    if (field == null || !(field.equalsIgnoreCase("Depends") || field.equalsIgnoreCase("Build-Depends"))) {
      return;
    }
    for (String entry : value.toString().split("\\s*,\\s*")) {
      // docker-pkg keeps each entry whole: "name (>= 1)" names no image, and is not a dependency
      if (!entry.isBlank()) {
        depends.add(entry.strip());
      }
    }
  }
}
