package dev.berth.engine;

import dev.berth.layer.GitIgnoreRules;
import dev.berth.layer.IgnoreRules;
import dev.berth.oci.Digest;
import dev.berth.spec.ImageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Walks what a step reads from its image folder, after {@code .dockerignore}, refusing anything that
 * leads outside the folder (a {@code ..} path, a symlinked parent, a named symlink whose target is outside,
 * for image.yaml any symlink pointing outside).
 */
public final class InputCollector {
  private final Path folder;
  private final Path realFolder;
  private final IgnoreRules ignore;
  /** The repository's {@code .gitignore} rules when the spec asks for them, else null. */
  private final GitIgnoreRules gitignore;
  private final FileDigests digests;
  /** A Dockerfile's context copies a symlink as a link wherever it points, as Docker does; image.yaml refuses. */
  private final boolean linksMayPointOutside;
  /**
   * docker-pkg copies an image folder with Python's {@code shutil.copytree}, which follows symlinks:
   * for its images ({@code Dockerfile.template}) a symlink is what it points to, wherever that is.
   */
  private final boolean followSymlinks;

  public InputCollector(ImageSpec spec, FileDigests digests) throws IOException {
    this.followSymlinks = spec.file() != null && spec.file().getFileName().toString().equals("Dockerfile.template");
    this.folder = spec.folder().toAbsolutePath().normalize();
    this.realFolder = folder.toRealPath();
    this.ignore = IgnoreRules.load(spec.ignoreFile());
    this.gitignore = spec.gitignore() ? GitIgnoreRules.forFolder(folder) : null;
    this.digests = digests;
    this.linksMayPointOutside = spec.file() != null && !spec.file().getFileName().toString().endsWith(".yaml");
  }

  /** Everything under {@code relative} (a file, a symlink or a directory tree), sorted by path. */
  public List<InputFile> collect(String relative, String key) throws IOException {
    Path source = folder.resolve(relative).normalize();
    if (!source.startsWith(folder)) {
      throw new BuildException("'" + key + "' path '" + relative + "' is outside the image folder " + folder);
    }
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildException("'" + key + "' source '" + relative + "' does not exist in " + folder);
    }
    Path realParent = source.equals(folder) ? realFolder : source.getParent().toRealPath();
    if (!followSymlinks && !realParent.startsWith(realFolder)) {
      throw new BuildException("'" + key + "' path '" + relative + "' leads outside the image folder through a symlink");
    }
    String base = folder.relativize(source).toString();
    if (!base.isEmpty() && ignore.isExcluded(base)) {
      throw new BuildException("'" + key + "' source '" + relative + "' is excluded by .dockerignore");
    }
    if (!base.isEmpty() && gitIgnored(base, Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS))) {
      throw new BuildException("'" + key + "' source '" + relative + "' is ignored by .gitignore (gitignore: true)");
    }
    List<InputFile> out = new ArrayList<>();
    if (Files.isSymbolicLink(source) && !followSymlinks) {  // a symlink named as a source is followed, as Docker does
      Path target = source.toRealPath();
      if (!target.startsWith(realFolder)) {
        throw new BuildException("'" + key + "' source '" + relative + "' is a symlink leading outside the image folder");
      }
      walk(folder.resolve(realFolder.relativize(target)), base, out);
    } else {
      walk(source, base, out);
    }
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  /** {@code path} and what is below it, named {@code relative} (the path, or the symlink that led to it). */
  private void walk(Path path, String relative, List<InputFile> out) throws IOException {
    PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    int mode = permissionBits(path, LinkOption.NOFOLLOW_LINKS);
    Path content = path;
    if (attributes.isSymbolicLink() && followSymlinks) {
      if (!Files.exists(path)) {
        throw new BuildException("symlink '" + relative + "' in " + folder + " points to nothing ("
            + Files.readSymbolicLink(path) + "); docker-pkg copies what symlinks point to");
      }
      content = path.toRealPath();
      attributes = Files.readAttributes(content, PosixFileAttributes.class);
      mode = permissionBits(content);
    }
    if (attributes.isSymbolicLink()) {
      String target = Files.readSymbolicLink(path).toString();
      Path resolved = path.getParent().resolve(target).normalize();
      if (!linksMayPointOutside && !resolved.startsWith(folder)) {
        throw new BuildException("symlink '" + relative + "' points outside the image folder (to " + target + ")");
      }
      out.add(new InputFile(relative, InputFile.Kind.SYMLINK, mode, null, target, path));
    } else if (attributes.isDirectory()) {
      out.add(new InputFile(relative, InputFile.Kind.DIRECTORY, mode, null, null, path));
      List<Path> children;
      try (Stream<Path> list = Files.list(path)) {
        children = list.sorted().toList();
      }
      for (Path child : children) {
        String childRelative = folder.relativize(child).toString();
        boolean directory = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
        if (gitIgnored(childRelative, directory)) {
          continue;  // git brings nothing back from below an ignored directory
        }
        if (ignore.isExcluded(childRelative)) {
          if (directory && ignore.mayHaveIncludedChildren(childRelative)) {
            walkExcludedDirectory(child, out);
          }
          continue;
        }
        walk(child, relative.isEmpty() ? child.getFileName().toString() : relative + "/" + child.getFileName(), out);
      }
    } else if (attributes.isRegularFile()) {
      out.add(new InputFile(relative, InputFile.Kind.FILE, mode, digests.digestOf(content, attributes), null, content));
    } else {
      throw new BuildException("'" + relative + "' in " + folder + " is neither a file, a directory nor a symlink");
    }
  }

  /** An excluded directory whose children an {@code !} exception may bring back. */
  private void walkExcludedDirectory(Path directory, List<InputFile> out) throws IOException {
    List<InputFile> found = new ArrayList<>();
    try (Stream<Path> list = Files.list(directory)) {
      for (Path child : list.sorted().toList()) {
        String childRelative = folder.relativize(child).toString();
        if (gitIgnored(childRelative, Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS))) {
          continue;
        }
        if (!ignore.isExcluded(childRelative)) {
          walk(child, childRelative, found);
        } else if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) && ignore.mayHaveIncludedChildren(childRelative)) {
          walkExcludedDirectory(child, found);
        }
      }
    }
    if (!found.isEmpty()) {
      String relative = folder.relativize(directory).toString();
      out.add(new InputFile(relative, InputFile.Kind.DIRECTORY, 0755, null, null, directory));
      out.addAll(found);
    }
  }

  private boolean gitIgnored(String relative, boolean directory) {
    return gitignore != null && gitignore.isExcluded(relative, directory);
  }

  private static int permissionBits(Path path, LinkOption... options) throws IOException {
    Object mode = Files.getAttribute(path, "unix:mode", options);
    return ((Integer) mode) & 07777;
  }

  /** sha256 of a file's content, with a cache keyed by (path, size, mtime, inode) where one is kept. */
  public interface FileDigests {
    Digest digestOf(Path file, PosixFileAttributes attributes) throws IOException;

    /** Hashes every file every time. */
    FileDigests UNCACHED = (file, attributes) -> sha256(file);

    static Digest sha256(Path file) throws IOException {
      MessageDigest md = Digest.newSha256();
      byte[] buffer = new byte[1 << 16];
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          md.update(buffer, 0, n);
        }
      } catch (NoSuchFileException e) {
        throw new BuildException("input file " + file + " vanished while it was read");
      }
      return Digest.fromHash("sha256", md.digest());
    }
  }
}
