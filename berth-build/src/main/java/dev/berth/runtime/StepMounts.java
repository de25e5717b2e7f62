package dev.berth.runtime;

import dev.berth.engine.BuildException;
import dev.berth.engine.InputFile;
import dev.berth.engine.SourceImages;
import dev.berth.engine.StepRunner;
import dev.berth.spec.RunMount;
import dev.berth.spec.StepSpec;
import dev.berth.store.ContentStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The mounts of one RUN step ({@code RUN --mount=type=bind|tmpfs}). A bind shows the folder's
 * files the step was keyed with (after {@code .dockerignore}), copied into the step's work
 * directory: read-only, or writable with the writes thrown away with that directory. A tmpfs is
 * empty. A bind {@code from=} an image shows a private unpacked copy of that image's files, keyed by
 * its digest. None reaches the layer: what runc made to mount them on is removed after the step.
 */
final class StepMounts {
  private StepMounts() {}

  static List<OciRuntimeConfig.Bind> binds(ContentStore store, StepRunner.Request request, Path work,
      List<String> mountPoints) throws IOException {
    List<OciRuntimeConfig.Bind> out = new ArrayList<>();
    int[] index = {0};
    for (RunMount mount : request.step().mounts()) {
      mount.accept(new RunMount.Visitor<Void, IOException>() {
        @Override
        public Void bind(RunMount.Bind bind) throws IOException {
          Path copy = work.resolve("bind-" + index[0]++);
          String source = bind.source().equals(".") ? "" : bind.source();
          for (InputFile input : request.inputs()) {
            if (input.path().equals(source) || source.isEmpty() || input.path().startsWith(source + "/")) {
              String relative = input.path().equals(source) ? "" : input.path().substring(source.isEmpty() ? 0
                  : source.length() + 1);
              place(input, relative.isEmpty() ? copy : copy.resolve(relative));
            }
          }
          out.add(new OciRuntimeConfig.Bind(copy, bind.target(), !bind.readWrite()));
          mountPoints.add(bind.target());
          return null;
        }

        @Override
        public Void ssh(RunMount.Ssh ssh) {  // the agent's socket itself, for this step only
          if (!Files.exists(ssh.socket())) {
            throw new BuildException("RUN --mount=type=ssh: the SSH agent '" + ssh.id() + "' has no socket at "
                + ssh.socket());
          }
          out.add(new OciRuntimeConfig.Bind(ssh.socket().toAbsolutePath(), ssh.target(), false));
          mountPoints.add(ssh.target());
          return null;
        }

        @Override
        public Void imageBind(RunMount.ImageBind bind) throws IOException {
          out.add(new OciRuntimeConfig.Bind(imageFiles(store, request, bind, work.resolve("bind-" + index[0]++)),
              bind.target(), !bind.readWrite()));
          mountPoints.add(bind.target());
          return null;
        }

        @Override
        public Void tmpfs(RunMount.Tmpfs tmpfs) {  // see tmpfs(): not a bind
          return null;
        }
      });
    }
    return out;
  }

  /**
   * The image's files under the bind's source, unpacked into {@code unpacked}: a private copy, so
   * that writes of an {@code rw} mount are thrown away with the step's work directory.
   */
  private static Path imageFiles(ContentStore store, StepRunner.Request request, RunMount.ImageBind bind,
      Path unpacked) throws IOException {
    String sourceName = request.mountImages().get(bind.image());
    String what = "RUN --mount=from=" + bind.image();
    if (sourceName == null) {
      throw new BuildException(what + ": the image was not resolved before the step");
    }
    SourceImages.unpack(store, sourceName, what, Files.createDirectories(unpacked));
    Path source = inside(unpacked, bind.source());
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildException(what + ": " + bind.source() + " not found in the image");
    }
    return source;
  }

  /**
   * {@code path} (absolute in the image) inside {@code root}, its symbolic links followed as in the
   * image (an absolute target starts again at {@code root}), never leaving {@code root}.
   */
  static Path inside(Path root, String path) throws IOException {
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(path.split("/")));
    Path current = root;
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.removeFirst();
      if (name.isEmpty() || name.equals(".")) {
        continue;
      }
      if (name.equals("..")) {
        current = current.equals(root) ? root : current.getParent();
        continue;
      }
      Path next = current.resolve(name);
      if (!Files.isSymbolicLink(next)) {
        current = next;
        continue;
      }
      if (++links > 40) {
        throw new BuildException("too many symbolic links in " + path);
      }
      String target = Files.readSymbolicLink(next).toString();
      List<String> parts = new ArrayList<>(List.of(target.split("/")));
      java.util.Collections.reverse(parts);
      parts.forEach(todo::addFirst);
      if (target.startsWith("/")) {
        current = root;
      }
    }
    return current;
  }

  /** BuildKit's SSH_AUTH_SOCK: the first ssh mount's target, unless the step's environment has one. */
  static java.util.Optional<String> sshAuthSock(StepSpec step) {
    return step.mounts().stream().map(mount -> mount.accept(new Only<String>() {
      @Override
      public String ssh(RunMount.Ssh ssh) {
        return ssh.target();
      }
    })).filter(java.util.Objects::nonNull).findFirst();
  }

  static List<OciRuntimeConfig.Tmpfs> tmpfs(StepSpec step, List<String> mountPoints) {
    List<OciRuntimeConfig.Tmpfs> out = new ArrayList<>();
    for (RunMount mount : step.mounts()) {
      OciRuntimeConfig.Tmpfs tmpfs = mount.accept(new Only<OciRuntimeConfig.Tmpfs>() {
        @Override
        public OciRuntimeConfig.Tmpfs tmpfs(RunMount.Tmpfs tmpfs) {
          return new OciRuntimeConfig.Tmpfs(tmpfs.target(), tmpfs.size());
        }
      });
      if (tmpfs != null) {
        out.add(tmpfs);
        mountPoints.add(tmpfs.destination());
      }
    }
    return out;
  }

  /** A visitor of one kind of mount: null for the others. */
  private abstract static class Only<R> implements RunMount.Visitor<R, RuntimeException> {
    @Override
    public R bind(RunMount.Bind mount) {
      return null;
    }

    @Override
    public R imageBind(RunMount.ImageBind mount) {
      return null;
    }

    @Override
    public R ssh(RunMount.Ssh mount) {
      return null;
    }

    @Override
    public R tmpfs(RunMount.Tmpfs mount) {
      return null;
    }
  }

  private static void place(InputFile input, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    switch (input.kind()) {
      case DIRECTORY -> {
        Files.createDirectories(to);
        Files.setPosixFilePermissions(to, permissions(input.mode()));
      }
      case FILE -> Files.copy(input.source(), to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      case SYMLINK -> Files.createSymbolicLink(to, Path.of(input.linkTarget()));
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    return java.nio.file.attribute.PosixFilePermissions.fromString(
        String.format("%s%s%s", triple(mode >> 6), triple(mode >> 3), triple(mode)));
  }

  private static String triple(int bits) {
    return ((bits & 4) != 0 ? "r" : "-") + ((bits & 2) != 0 ? "w" : "-") + ((bits & 1) != 0 ? "x" : "-");
  }
}
