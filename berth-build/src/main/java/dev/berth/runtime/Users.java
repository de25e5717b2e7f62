package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resolves an image's {@code User} ({@code name|uid[:group|gid]}) against its /etc/passwd and /etc/group. */
final class Users {
  private Users() {}

  record Ids(int uid, int gid, List<Integer> groups) {}

  static Ids resolve(Path rootfs, String user) throws IOException {
    if (user == null || user.isEmpty()) {
      user = "root";  // an unset USER is root, with root's groups
      if (table(rootfs.resolve("etc/passwd")).stream().noneMatch(e -> e.length > 3 && e[0].equals("root"))) {
        return new Ids(0, 0, List.of(0));
      }
    }
    String[] parts = user.split(":", 2);
    List<String[]> passwd = table(rootfs.resolve("etc/passwd"));
    List<String[]> group = table(rootfs.resolve("etc/group"));
    int uid;
    int gid = 0;
    String name = null;
    if (parts[0].chars().allMatch(Character::isDigit)) {
      uid = Integer.parseInt(parts[0]);
      for (String[] entry : passwd) {
        if (entry.length > 3 && entry[2].equals(parts[0])) {
          gid = Integer.parseInt(entry[3]);
          name = entry[0];
        }
      }
    } else {
      String[] entry = passwd.stream().filter(e -> e.length > 3 && e[0].equals(parts[0])).findFirst()
          .orElseThrow(() -> new IOException("user '" + parts[0] + "' is not in the image's /etc/passwd"));
      uid = Integer.parseInt(entry[2]);
      gid = Integer.parseInt(entry[3]);
      name = entry[0];
    }
    if (parts.length == 2) {
      if (parts[1].chars().allMatch(Character::isDigit)) {
        gid = Integer.parseInt(parts[1]);
      } else {
        String[] entry = group.stream().filter(e -> e.length > 2 && e[0].equals(parts[1])).findFirst()
            .orElseThrow(() -> new IOException("group '" + parts[1] + "' is not in the image's /etc/group"));
        gid = Integer.parseInt(entry[2]);
      }
    }
    // As Docker's runtime: the primary group, then (only when USER names no group) those listing the user
    List<Integer> groups = new ArrayList<>(List.of(gid));
    if (name != null && parts.length == 1) {
      for (String[] entry : group) {
        if (entry.length > 3 && List.of(entry[3].split(",")).contains(name) && !groups.contains(Integer.parseInt(entry[2]))) {
          groups.add(Integer.parseInt(entry[2]));
        }
      }
    }
    return new Ids(uid, gid, groups);
  }

  private static List<String[]> table(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().map(line -> line.split(":", -1)).toList();
  }
}
