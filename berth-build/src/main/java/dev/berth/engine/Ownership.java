package dev.berth.engine;

import dev.berth.layer.LayerBlob;
import dev.berth.layer.LayerStreams;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Resolves {@code owner:} values ({@code uid[:gid]} or {@code user[:group]}) to numeric ids; names
 * are looked up in {@code /etc/passwd} and {@code /etc/group} of the image being built.
 */
final class Ownership {
  record Ids(int uid, int gid) {}

  private final ContentStore store;
  private final List<LayerBlob> layers;
  private Map<String, String> files;

  Ownership(ContentStore store, List<LayerBlob> layers) {
    this.store = store;
    this.layers = List.copyOf(layers);
  }

  Ids resolve(String owner) throws IOException {
    String[] parts = owner.split(":", -1);
    if (parts.length > 2 || parts[0].isEmpty() || (parts.length == 2 && parts[1].isEmpty())) {
      throw new BuildException("invalid owner '" + owner + "': USER[:GROUP], by name or number");
    }
    int uid;
    Integer primaryGid = null;
    if (isNumber(parts[0])) {
      uid = Integer.parseInt(parts[0]);
    } else {
      String[] entry = lookup("etc/passwd", parts[0]).orElseThrow(() -> new BuildException(
          "owner '" + owner + "': no user '" + parts[0] + "' in the image's /etc/passwd"));
      uid = Integer.parseInt(entry[2]);
      primaryGid = Integer.parseInt(entry[3]);
    }
    int gid;
    if (parts.length == 1) {
      gid = primaryGid != null ? primaryGid : uid;
    } else if (isNumber(parts[1])) {
      gid = Integer.parseInt(parts[1]);
    } else {
      String[] entry = lookup("etc/group", parts[1]).orElseThrow(() -> new BuildException(
          "owner '" + owner + "': no group '" + parts[1] + "' in the image's /etc/group"));
      gid = Integer.parseInt(entry[2]);
    }
    return new Ids(uid, gid);
  }

  private Optional<String[]> lookup(String file, String name) throws IOException {
    String content = accountFiles().get(file);
    if (content == null) {
      return Optional.empty();
    }
    for (String line : content.split("\n")) {
      String[] fields = line.split(":", -1);
      if (fields.length >= 3 && fields[0].equals(name) && isNumber(fields[2])
          && (!file.equals("etc/passwd") || (fields.length >= 4 && isNumber(fields[3])))) {
        return Optional.of(fields);
      }
    }
    return Optional.empty();
  }

  /** /etc/passwd and /etc/group as the topmost layer that has them wrote them. */
  private Map<String, String> accountFiles() throws IOException {
    if (files != null) {
      return files;
    }
    files = new HashMap<>();
    List<LayerBlob> topDown = new ArrayList<>(layers);
    java.util.Collections.reverse(topDown);
    for (LayerBlob layer : topDown) {
      if (files.containsKey("etc/passwd") && files.containsKey("etc/group")) {
        break;
      }
      Map<String, String> found = new HashMap<>();
      try (InputStream blob = store.openBlob(layer.descriptor().digest());
           InputStream tarStream = LayerStreams.decompress(blob, layer.descriptor().mediaType());
           TarArchiveInputStream tar = new TarArchiveInputStream(tarStream)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          String name = entry.getName().startsWith("./") ? entry.getName().substring(2) : entry.getName();
          if ((name.equals("etc/passwd") || name.equals("etc/group")) && entry.isFile()) {
            found.put(name, new String(tar.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
      found.forEach(files::putIfAbsent);
    }
    return files;
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit);
  }
}
